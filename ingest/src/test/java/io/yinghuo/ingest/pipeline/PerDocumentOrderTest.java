package io.yinghuo.ingest.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.yinghuo.ingest.pipeline.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PerDocumentOrderTest {

    private final PerDocumentOrder order = new PerDocumentOrder();
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** Schedules the job the way the pipeline does: forgotten once final. */
    private void schedule(IngestJob job, String name) {
        job.completion().whenComplete((progress, error) -> order.finished(job));
        order.schedule(job, () -> events.add("start " + name));
    }

    private void finish(IngestJob job, String name) {
        events.add("finish " + name);
        job.finish(IngestOutcome.ADDED, "");
    }

    @Test
    void jobsOfOneDocumentRunOneAfterTheOtherAndOthersAtOnce() {
        IngestJob first = job(1, "报告.txt", "一");
        IngestJob second = job(2, "报告.txt", "二");
        IngestJob third = job(3, "报告.txt", "三");
        IngestJob other = job(4, "别的.txt", "四");
        schedule(first, "first");
        schedule(second, "second");
        schedule(third, "third");
        schedule(other, "other");
        assertEquals(List.of("start first", "start other"), events);
        finish(first, "first");
        finish(second, "second");
        finish(third, "third");
        assertEquals(List.of("start first", "start other", "finish first", "start second", "finish second",
                "start third", "finish third"), events);

        IngestJob later = job(5, "报告.txt", "五");
        schedule(later, "later");
        assertEquals("start later", events.get(events.size() - 1), "nothing left to wait for");
    }

    @Test
    void awaitingADocumentWaitsForItsLastJob() throws Exception {
        IngestJob running = job(1, "报告.txt", "一");
        schedule(running, "running");
        order.awaitJobsOf(job(2, "别的.txt", "二").docId()); // no job: returns at once
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            order.awaitJobsOf(running.docId());
            events.add("awaited");
        });
        finish(running, "running");
        waiter.get();
        assertEquals(List.of("start running", "finish running", "awaited"), events);
    }
}
