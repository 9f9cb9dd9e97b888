package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.yinghuo.ingest.pipeline.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupCommitterTest {

    /** Long enough that a test passes only if the committer decides without waiting it out. */
    private static final long LONG_WINDOW_MILLIS = 600_000;

    @TempDir
    Path dir;

    private ChunkIndex index;
    private ContentReservations reservations;
    private OriginalsBookkeeping originals;
    private WordBoxBookkeeping wordBoxes;
    private final UnfinishedJobs unfinished = new UnfinishedJobs();
    private final AtomicInteger commits = new AtomicInteger();

    @BeforeEach
    void open() throws IOException {
        index = ChunkIndex.open(dir.resolve("index"), IndexProfile.CHINESE_HYBRID);
        reservations = new ContentReservations(index);
        originals = OriginalsBookkeeping.open(dir.resolve("originals"), index);
        wordBoxes = WordBoxBookkeeping.open(dir.resolve("ocr"), index);
    }

    @AfterEach
    void close() throws IOException {
        index.close();
    }

    private GroupCommitter committer(GroupCommitter.Commit commit) {
        return new GroupCommitter(commit, reservations, originals, wordBoxes, unfinished, LONG_WINDOW_MILLIS);
    }

    /** A job as a worker leaves it: started, content reserved, staged. */
    private IngestJob staged(long id, String fileName, String text) {
        IngestJob job = job(id, fileName, text);
        unfinished.started();
        assertTrue(reservations.reserve(job));
        return job;
    }

    @Test
    void filesStagedWhileOthersAreInProgressShareOneCommit() throws Exception {
        List<IngestJob> jobs = List.of(staged(1, "一.txt", "一"), staged(2, "二.txt", "二"),
                staged(3, "三.txt", "三"));
        GroupCommitter committer = committer(commits::incrementAndGet);
        for (IngestJob job : jobs) {
            committer.handOver(job);
        }
        for (IngestJob job : jobs) {
            assertEquals(IngestOutcome.ADDED, job.completion().get(30, TimeUnit.SECONDS).outcome());
        }
        committer.finish();
        assertEquals(1, commits.get());
    }

    /** Starts a committer and returns its thread, the one thread that appeared while it was constructed. */
    private Thread committerThread(GroupCommitter.Commit commit, List<GroupCommitter> started) {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        started.add(committer(commit));
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().equals("yinghuo-ingest-commit"))
                .findFirst().orElseThrow();
    }

    @Test
    void aFileWaitsInTheWindowForFilesStillInProgressAndSharesTheirCommit() throws Exception {
        IngestJob first = staged(1, "一.txt", "一");
        IngestJob second = staged(2, "二.txt", "二");
        List<GroupCommitter> started = new ArrayList<>();
        Thread thread = committerThread(commits::incrementAndGet, started);
        GroupCommitter committer = started.get(0);
        committer.handOver(first);
        // The second file is still being parsed: the committer holds the first back, waiting for it.
        while (thread.getState() != Thread.State.TIMED_WAITING && !first.completion().isDone()) {
            Thread.yield();
        }
        assertFalse(first.completion().isDone(), "the first file was committed alone while another was in progress");
        committer.handOver(second);
        assertEquals(IngestOutcome.ADDED, first.completion().get(30, TimeUnit.SECONDS).outcome());
        assertEquals(IngestOutcome.ADDED, second.completion().get(30, TimeUnit.SECONDS).outcome());
        committer.finish();
        assertEquals(1, commits.get(), "one commit for both");
    }

    @Test
    void aFileWaitsNoLongerThanTheWindowForAFileThatNeverComes() throws Exception {
        IngestJob job = staged(1, "一.txt", "一");
        unfinished.started(); // another file still being parsed, and it stays so
        GroupCommitter committer = new GroupCommitter(commits::incrementAndGet, reservations, originals, wordBoxes,
                unfinished, 1);
        committer.handOver(job);
        assertEquals(IngestOutcome.ADDED, job.completion().get(30, TimeUnit.SECONDS).outcome());
        assertEquals(1, commits.get());
        committer.finish();
    }

    @Test
    void oneCommitAcknowledgesAtMostMaxBatchFiles() throws Exception {
        List<IngestJob> jobs = new ArrayList<>();
        for (int i = 0; i < GroupCommitter.MAX_BATCH + 10; i++) {
            jobs.add(staged(i, i + ".txt", "内容" + i));
        }
        List<Long> acknowledgedBeforeEachCommit = new ArrayList<>();
        GroupCommitter committer = committer(() -> acknowledgedBeforeEachCommit.add(
                jobs.stream().filter(j -> j.completion().isDone()).count()));
        for (IngestJob job : jobs) {
            committer.handOver(job);
        }
        committer.finish();
        assertEquals(List.of(0L, (long) GroupCommitter.MAX_BATCH), acknowledgedBeforeEachCommit);
        for (IngestJob job : jobs) {
            assertEquals(IngestOutcome.ADDED, job.progress().outcome());
        }
    }

    @Test
    void aLoneFileIsCommittedWithoutWaitingForTheWindow() throws Exception {
        IngestJob job = staged(1, "一.txt", "一");
        GroupCommitter committer = committer(commits::incrementAndGet);
        committer.handOver(job);
        assertEquals(IngestOutcome.ADDED, job.completion().get(30, TimeUnit.SECONDS).outcome());
        committer.finish();
    }

    @Test
    void finishingCommitsWhatWasHandedOverWithoutWaitingForTheOthers() throws Exception {
        IngestJob job = staged(1, "一.txt", "一");
        unfinished.started(); // another file still being parsed: the committer would wait for it
        GroupCommitter committer = committer(commits::incrementAndGet);
        committer.handOver(job);
        committer.finish();
        assertEquals(IngestOutcome.ADDED, job.progress().outcome());
        assertEquals(1, commits.get());
    }

    @Test
    void aFailedCommitFailsEveryFileOfItsBatchAndFreesTheirContent() throws Exception {
        IngestJob job = staged(1, "一.txt", "同样的内容");
        GroupCommitter committer = committer(() -> {
            throw new IOException("No space left on device");
        });
        committer.handOver(job);
        committer.finish();
        IngestProgress failed = job.progress();
        assertEquals(IngestOutcome.FAILED, failed.outcome());
        assertEquals("index commit failed: IOException: No space left on device", failed.message());
        assertTrue(reservations.reserve(job(2, "二.txt", "同样的内容")), "the content may be ingested again");
    }
}
