package io.yinghuo.retrieval.vectors;

/**
 * Lets searches go first: a search holds the gate open while it runs ({@link #enter}), and background embedding
 * waits between its small batches until no search is running ({@link #awaitIdle}). On a two-core machine one
 * embedding batch takes both cores, so a question asked during a backfill would otherwise wait behind it.
 */
public final class ForegroundGate {

    private int active;

    /** Marks a search as running until the returned handle is closed. */
    public Handle enter() {
        synchronized (this) {
            active++;
        }
        return this::exit;
    }

    private synchronized void exit() {
        active--;
        if (active == 0) {
            notifyAll();
        }
    }

    /** Blocks while a search is running. */
    public synchronized void awaitIdle() throws InterruptedException {
        while (active > 0) {
            wait();
        }
    }

    /** Number of searches running now. */
    public synchronized int active() {
        return active;
    }

    /** Closing it ends the search's turn. */
    @FunctionalInterface
    public interface Handle extends AutoCloseable {
        @Override
        void close();
    }
}
