package io.yinghuo.ingest.pipeline;

/**
 * Counts the submitted jobs not yet final, and lets callers wait for none to be left.
 *
 * <p>Why: callers need to know when a whole folder is in ({@link IngestPipeline#awaitIdle}), closing must finish
 * what was submitted, and the committer needs the count to decide whether waiting could let more files share a
 * commit (see {@link GroupCommitter}).
 */
final class UnfinishedJobs {

    private int count;

    synchronized void started() {
        count++;
    }

    synchronized void finished() {
        if (--count == 0) {
            notifyAll();
        }
    }

    synchronized int count() {
        return count;
    }

    /** Blocks until every started job has finished. */
    synchronized void awaitNone() throws InterruptedException {
        while (count > 0) {
            wait();
        }
    }
}
