package io.yinghuo.web.generation;

import io.yinghuo.web.ApiException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;

/**
 * First come, first served access to the model for every HTTP request that generates (the web UI's questions and
 * the OpenAI-compatible endpoints alike): as many at once as the local model's worker decodes together (its KV
 * slots, {@code serve --max-sequences}), or as many as are sent to remote model servers, which batch or are several.
 *
 * <p>Why here and not only in the model's own FIFO worker: a request waiting here can still be withdrawn at no cost
 * when its client goes away (nothing was submitted to the model yet), a waiting client can be told how many are
 * ahead of it, and the number of waiting requests is bounded, so a flood is refused with 503 instead of piling up.
 */
public final class GenerationQueue {

    /** One request's place in the queue. */
    public static final class Ticket {
        private Ticket() {
        }
    }

    /** What a refused request is told to wait ({@code Retry-After}) before it tries again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final int maxWaiting;
    private final int maxRunning;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Ticket> waiting = new ArrayDeque<>();
    private final Set<Ticket> running = new HashSet<>();
    /** Requests that have been given the model since start. */
    private long admitted;

    /** One generation at a time. */
    public GenerationQueue(int maxWaiting) {
        this(maxWaiting, 1);
    }

    /** Up to {@code maxRunning} generations at once (remote model servers). */
    public GenerationQueue(int maxWaiting, int maxRunning) {
        if (maxRunning < 1) {
            throw new IllegalArgumentException("maxRunning must be at least 1, got " + maxRunning);
        }
        this.maxWaiting = maxWaiting;
        this.maxRunning = maxRunning;
    }

    /**
     * Takes a place at the end of the queue.
     *
     * @throws ApiException 503 when {@code maxWaiting} requests are already waiting
     */
    public Ticket enter() {
        lock.lock();
        try {
            if (waiting.size() >= maxWaiting) {
                throw ApiException.unavailable("queue_full", "the model is busy: " + waiting.size()
                        + " requests are already waiting; try again later").localized("error.queue_full", waiting.size())
                        .retryAfter(RETRY_AFTER_SECONDS);
            }
            Ticket ticket = new Ticket();
            waiting.addLast(ticket);
            changed.signalAll();
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} for this ticket's turn; true when it now holds the model. */
    public boolean awaitTurn(Ticket ticket, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (running.size() >= maxRunning || waiting.peekFirst() != ticket) {
                if (running.contains(ticket)) {
                    return true;
                }
                if (!waiting.contains(ticket)) {
                    throw new IllegalStateException("this ticket has left the queue");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            waiting.removeFirst();
            running.add(ticket);
            admitted++;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** How many requests will be served before this one (0 when it is next or running). */
    public int ahead(Ticket ticket) {
        lock.lock();
        try {
            int position = 0;
            for (Ticket t : waiting) {
                if (t == ticket) {
                    return position + (running.size() >= maxRunning ? 1 : 0);
                }
                position++;
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** Gives the model to the next request (after finishing) or withdraws from the queue (when giving up). */
    public void leave(Ticket ticket) {
        lock.lock();
        try {
            if (!running.remove(ticket)) {
                waiting.remove(ticket);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many requests have been given the model since start (monitoring and tests). */
    public long admitted() {
        lock.lock();
        try {
            return admitted;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code millis} until at least {@code count} requests have been given the model since start; true
     * when they have. Unlike watching for "running", this cannot miss a generation that starts and ends between two
     * looks (a small model answers in milliseconds).
     */
    public boolean awaitAdmitted(long count, long millis) throws InterruptedException {
        return awaitUntil(() -> admitted >= count, millis);
    }

    /**
     * Waits up to {@code millis} until {@code state} holds for (requests waiting, a request running); true when it
     * did (monitoring and tests).
     */
    public boolean awaitState(BiPredicate<Integer, Boolean> state, long millis) throws InterruptedException {
        return awaitUntil(() -> state.test(waiting.size(), !running.isEmpty()), millis);
    }

    /** Waits up to {@code millis} until {@code condition}, read under the lock, holds; true when it did. */
    private boolean awaitUntil(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Requests waiting (not counting the one running). */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Generations running now. */
    public int running() {
        lock.lock();
        try {
            return running.size();
        } finally {
            lock.unlock();
        }
    }

    public boolean busy() {
        lock.lock();
        try {
            return !running.isEmpty();
        } finally {
            lock.unlock();
        }
    }
}
