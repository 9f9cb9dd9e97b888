package io.yinghuo.web.documents;

import io.yinghuo.ingest.pipeline.IngestOutcome;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.IngestStage;
import io.yinghuo.web.Messages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub behind {@code GET /api/ingest/events}, with its broadcaster thread and short timings: what each client
 * receives when jobs move, on connecting, when the vector backfill moves and when nothing happens; a slow client
 * does not hold up the others; the server's shutdown ends every stream.
 */
class IngestEventHubTest {

    static final long HOUR = 3_600_000;

    private final IngestJobs jobs = new IngestJobs();
    private IngestEventHub hub;

    @AfterEach
    void close() {
        if (hub != null) {
            hub.close();
        }
    }

    private IngestEventHub hub(Supplier<String> vectors, IngestEventHub.Timings timings) {
        hub = new IngestEventHub(jobs, vectors, timings);
        return hub;
    }

    private static IngestProgress emptyFileFailed(long jobId) {
        return new IngestProgress(jobId, "空.txt", "doc-" + jobId, IngestStage.FAILED, IngestOutcome.FAILED,
                "the file is empty", 0, 0, "parse_empty", List.of(), false);
    }

    private static IngestProgress queued(long jobId) {
        return new IngestProgress(jobId, "f" + jobId + ".txt", "doc-" + jobId, IngestStage.QUEUED, null, "queued",
                0, 0);
    }

    /** A stream whose connection the container has opened. */
    private static FakeEventOutput connect(IngestEventHub hub, Messages.Lang lang, Runnable onEnd) {
        FakeEventOutput out = new FakeEventOutput();
        hub.subscribe(out, lang, onEnd);
        out.open();
        return out;
    }

    @Test
    void everyClientGetsEachJobsProgressInItsOwnLanguage() throws Exception {
        hub(() -> null, new IngestEventHub.Timings(HOUR, HOUR, 100));
        FakeEventOutput chinese = connect(hub, Messages.Lang.ZH, () -> { });
        FakeEventOutput english = connect(hub, Messages.Lang.EN, () -> { });

        jobs.onProgress(emptyFileFailed(7));

        String zh = chinese.await(t -> t.contains("\n\n"));
        String en = english.await(t -> t.contains("\n\n"));
        assertTrue(zh.startsWith("event: progress\ndata: {\"job_id\":7,"), zh);
        assertTrue(zh.contains("\"message\":\"文件是空的\""), zh);
        assertTrue(en.contains("\"message\":\"the file is empty\""), en);
        assertTrue(zh.contains("\"final\":true") && en.contains("\"final\":true"));
    }

    @Test
    void aConnectingClientCatchesUpWithUnfinishedJobsThenTheVectors() throws Exception {
        jobs.onProgress(queued(1));
        jobs.onProgress(emptyFileFailed(2));
        jobs.onProgress(queued(3));
        hub(() -> "{\"state\":\"idle\"}", new IngestEventHub.Timings(HOUR, HOUR, 100));

        FakeEventOutput out = connect(hub, Messages.Lang.EN, () -> { });

        String text = out.await(t -> t.contains("event: vectors"));
        assertTrue(text.startsWith("event: progress\ndata: {\"job_id\":1,"), text);
        assertTrue(text.contains("event: progress\ndata: {\"job_id\":3,"), text);
        assertFalse(text.contains("\"job_id\":2"), "a finished job is not replayed: " + text);
        assertTrue(text.endsWith("event: vectors\ndata: {\"state\":\"idle\"}\n\n"), text);
    }

    @Test
    void aQuietStreamGetsHeartbeats() throws Exception {
        hub(() -> null, new IngestEventHub.Timings(5, 20, 100));
        FakeEventOutput out = connect(hub, Messages.Lang.EN, () -> { });
        assertTrue(out.await(t -> t.contains(": keep-alive\n\n")).startsWith(": keep-alive\n\n"));
    }

    @Test
    void noHeartbeatBeforeTheStreamHasBeenQuietForTheHeartbeatPeriod() throws Exception {
        CountDownLatch ticks = new CountDownLatch(10);
        hub(() -> {
            ticks.countDown();
            return "{\"state\":\"idle\"}";
        }, new IngestEventHub.Timings(2, HOUR, 100));
        FakeEventOutput out = connect(hub, Messages.Lang.EN, () -> { });

        assertTrue(ticks.await(10, TimeUnit.SECONDS), "the broadcaster looks every 2 ms");
        assertEquals("event: vectors\ndata: {\"state\":\"idle\"}\n\n", out.text(),
                "the vectors once (unchanged since), no heartbeat");
    }

    @Test
    void aClientGetsTheVectorsWhenTheBackfillMoves() throws Exception {
        AtomicReference<String> vectors = new AtomicReference<>("{\"done\":0}");
        hub(vectors::get, new IngestEventHub.Timings(2, HOUR, 100));
        FakeEventOutput out = connect(hub, Messages.Lang.EN, () -> { });
        out.await(t -> t.contains("{\"done\":0}"));

        vectors.set("{\"done\":5}");
        String text = out.await(t -> t.contains("{\"done\":5}"));
        assertEquals("event: vectors\ndata: {\"done\":0}\n\nevent: vectors\ndata: {\"done\":5}\n\n", text);
    }

    @Test
    void theBroadcasterWaitsForItsNextLookRatherThanSpinning() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        hub(() -> {
            looks.incrementAndGet();
            return "{}";
        }, new IngestEventHub.Timings(HOUR, HOUR, 100));
        FakeEventOutput out = connect(hub, Messages.Lang.EN, () -> { });
        for (long job = 1; job <= 3; job++) {
            jobs.onProgress(queued(job));
        }
        out.await(t -> t.contains("\"job_id\":3"));
        assertTrue(looks.get() <= 2, "the vectors were looked at " + looks.get()
                + " times (on connecting, and at most once at the broadcaster's start)");
    }

    @Test
    void aClientTooFarBehindIsEndedWhileTheOthersGetEveryEvent() throws Exception {
        hub(() -> null, new IngestEventHub.Timings(HOUR, HOUR, 2));
        CountDownLatch slowEnded = new CountDownLatch(1);
        FakeEventOutput slow = connect(hub, Messages.Lang.EN, slowEnded::countDown);
        FakeEventOutput fast = connect(hub, Messages.Lang.EN, () -> { });
        slow.block();

        for (long job = 1; job <= 3; job++) {
            jobs.onProgress(queued(job));
        }

        assertTrue(slowEnded.await(10, TimeUnit.SECONDS), "the slow client's stream ended");
        String text = fast.await(t -> t.contains("\"job_id\":3"));
        assertTrue(text.contains("\"job_id\":1") && text.contains("\"job_id\":2"), text);
        assertEquals(1, hub.openStreams());
    }

    @Test
    void aClientThatGoesAwayIsForgotten() {
        hub(() -> null, new IngestEventHub.Timings(HOUR, HOUR, 100));
        FakeEventOutput out = connect(hub, Messages.Lang.EN, () -> { });
        assertEquals(1, hub.openStreams());
        out.listener().onError(new java.io.EOFException());
        assertEquals(0, hub.openStreams());
    }

    @Test
    void shutdownEndsEveryStreamAndRefusesNewOnes() {
        hub(() -> null, new IngestEventHub.Timings(HOUR, HOUR, 100));
        AtomicInteger ended = new AtomicInteger();
        connect(hub, Messages.Lang.EN, ended::incrementAndGet);
        connect(hub, Messages.Lang.ZH, ended::incrementAndGet);

        hub.close();
        assertEquals(2, ended.get());
        assertEquals(0, hub.openStreams());

        FakeEventOutput late = new FakeEventOutput();
        hub.subscribe(late, Messages.Lang.EN, ended::incrementAndGet);
        assertEquals(3, ended.get(), "a stream opened during shutdown ends at once");
        assertEquals(0, hub.openStreams());
        assertEquals(null, late.listener(), "and never goes non-blocking");
    }

    @Test
    void shutdownStopsTheBroadcasterAtOnceNotAtItsNextLook() {
        hub(() -> null, new IngestEventHub.Timings(HOUR, HOUR, 100));
        connect(hub, Messages.Lang.EN, () -> { });
        hub.close();
        assertTrue(awaitState(Thread.State.TERMINATED), "the broadcaster is " + hub.broadcasterState());
    }

    @Test
    void anIdleBroadcasterWaitsRatherThanSpinning() {
        hub(() -> null, new IngestEventHub.Timings(HOUR, HOUR, 100));
        connect(hub, Messages.Lang.EN, () -> { });
        jobs.onProgress(queued(1));
        assertTrue(awaitState(Thread.State.TIMED_WAITING), "the broadcaster is " + hub.broadcasterState());
    }

    /**
     * Whether the broadcaster is seen in {@code state} within 10 s. A thread that spins never shows
     * {@code TIMED_WAITING}; one that waits shows it nearly always, so the first looks usually see it.
     */
    private boolean awaitState(Thread.State state) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (hub.broadcasterState() == state) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }
}
