package io.yinghuo.model.engine.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small fixed pool that runs one parallel loop at a time over task indices [0, tasks), the caller taking part.
 * Tasks are handed out in chunks from a shared counter so a slow core (these machines are shared) does not hold
 * up the others. Nothing is allocated per loop; idle workers park after a short spin.
 */
final class WorkerPool implements AutoCloseable {

    /** One parallel loop body: runs tasks [from, to) on worker {@code worker} (0 = the calling thread). */
    interface RangeTask {
        void run(int worker, int from, int to);
    }

    private static final int SPINS_BEFORE_PARK = 2_000;

    private final int size;
    private final Thread[] threads;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closed;
    private volatile Thread waiter;
    private RangeTask task;
    private int tasks;
    private int chunk;
    private volatile Throwable failure;

    WorkerPool(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a worker pool needs at least one thread, got " + size);
        }
        this.size = size;
        this.threads = new Thread[size - 1];
        for (int i = 0; i < threads.length; i++) {
            int worker = i + 1;
            Thread t = new Thread(() -> workLoop(worker), "yinghuo-cpu-" + worker);
            t.setDaemon(true);
            threads[i] = t;
            t.start();
        }
    }

    int size() {
        return size;
    }

    /** Runs {@code body} over [0, tasks) on all threads and returns when every task is done. */
    synchronized void run(int tasks, RangeTask body) {
        if (closed) {
            throw new IllegalStateException("the model was closed");
        }
        if (tasks <= 0) {
            return;
        }
        if (size == 1 || tasks == 1) {
            body.run(0, 0, tasks);
            return;
        }
        this.task = body;
        this.tasks = tasks;
        // about four chunks per thread: balance against the cost of the shared counter
        this.chunk = Math.max(1, tasks / (size * 4));
        this.failure = null;
        next.set(0);
        pending.set(size - 1);
        waiter = Thread.currentThread();
        generation++; // volatile write publishes task, tasks, chunk
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        try {
            drain(0);
        } catch (Throwable t) {
            failure = t;
            next.set(Integer.MAX_VALUE / 2);
        }
        int spins = 0;
        while (pending.get() > 0) {
            if (spins++ < SPINS_BEFORE_PARK) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        this.task = null;
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    private void drain(int worker) {
        RangeTask body = task;
        int n = tasks;
        int c = chunk;
        for (int from = next.getAndAdd(c); from < n; from = next.getAndAdd(c)) {
            body.run(worker, from, Math.min(n, from + c));
        }
    }

    private void workLoop(int worker) {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (spins++ < SPINS_BEFORE_PARK) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                drain(worker);
            } catch (Throwable t) {
                failure = t;
                next.set(Integer.MAX_VALUE / 2); // stop handing out work
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(waiter);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }
}
