package io.yinghuo.ingest.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The committer thread: commits whatever files the workers have staged, then acknowledges them (group commit: one
 * fsync for all files that finished while the previous commit ran).
 *
 * <p>Why a thread of its own: a commit forces the index and the originals to disk, which takes long on a slow
 * disk; done on the workers it kept them waiting instead of parsing and analyzing the next files. Here the workers
 * hand a staged file over and go on, and a file is acknowledged ({@link IngestStage#DONE}) only after the commit
 * holding it has returned.
 */
final class GroupCommitter {

    /** Makes everything staged so far durable and visible (see {@link DurableCommit}). */
    @FunctionalInterface
    interface Commit {
        void run() throws IOException;
    }

    /** Most files acknowledged by one commit. */
    static final int MAX_BATCH = 256;

    private static final IngestJob STOP = new IngestJob(0, IngestSource.of("-", new byte[0]), "-",
            IngestListener.NONE);

    private final Commit commit;
    private final ContentReservations reservations;
    private final OriginalsBookkeeping originals;
    private final WordBoxBookkeeping wordBoxes;
    private final UnfinishedJobs unfinished;
    private final long commitWindowMillis;
    /**
     * Files staged in the index and waiting for their commit. Bounded so that a slow disk (long fsyncs) holds back
     * the workers instead of piling up files in memory.
     */
    private final BlockingQueue<IngestJob> staged = new LinkedBlockingQueue<>(4 * MAX_BATCH);
    private final Thread thread;

    /**
     * Starts the committer thread.
     *
     * @param commitWindowMillis while other files are in progress, how long a staged file may wait to share a commit
     */
    GroupCommitter(Commit commit, ContentReservations reservations, OriginalsBookkeeping originals,
                   WordBoxBookkeeping wordBoxes, UnfinishedJobs unfinished, long commitWindowMillis) {
        this.commit = commit;
        this.reservations = reservations;
        this.originals = originals;
        this.wordBoxes = wordBoxes;
        this.unfinished = unfinished;
        this.commitWindowMillis = commitWindowMillis;
        this.thread = new Thread(this::commitLoop, "yinghuo-ingest-commit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Hands over a file staged in the index; the committer now owns its content reservation and finishes the job.
     * Blocks while too many files wait for a commit.
     */
    void handOver(IngestJob job) throws InterruptedException {
        staged.put(job);
    }

    /** Commits and acknowledges every file handed over before the call, then ends the thread. */
    void finish() throws InterruptedException {
        staged.put(STOP);
        thread.join();
    }

    /** Ends the thread without waiting; files not yet committed are not acknowledged. */
    void abandon() {
        thread.interrupt();
    }

    private void commitLoop() {
        while (true) {
            List<IngestJob> batch = new ArrayList<>();
            try {
                batch.add(staged.take());
                collectBatch(batch);
            } catch (InterruptedException e) {
                return;
            }
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                commitAndAcknowledge(batch);
            }
            if (stop) {
                return;
            }
        }
    }

    /**
     * Group commit: while other files are still being parsed or analyzed, waits up to the commit window for them
     * to be staged too, so that a folder of small files costs a few commits instead of one per file. A lone file
     * is committed at once.
     */
    private void collectBatch(List<IngestJob> batch) throws InterruptedException {
        long deadline = System.nanoTime() + commitWindowMillis * 1_000_000L;
        while (true) {
            staged.drainTo(batch, MAX_BATCH - batch.size());
            if (batch.size() >= MAX_BATCH || batch.contains(STOP) || unfinished.count() <= batch.size()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            IngestJob next = staged.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void commitAndAcknowledge(List<IngestJob> batch) {
        try {
            commit.run();
        } catch (Throwable e) {
            for (IngestJob job : batch) {
                reservations.release(job);
                job.finish(IngestOutcome.FAILED, "index commit failed: " + FailureReasons.describe(e),
                        "commit_failed", java.util.List.of(FailureReasons.describe(e)), true);
            }
            return;
        }
        for (IngestJob job : batch) {
            reservations.release(job);
            originals.removeReplaced(job);
            wordBoxes.removeReplaced(job);
            job.finish(job.replaced != null ? IngestOutcome.REPLACED : IngestOutcome.ADDED, "");
        }
    }
}
