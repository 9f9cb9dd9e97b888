package io.yinghuo.ingest.pipeline;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class UnfinishedJobsTest {

    @Test
    void waitersAreReleasedWhenTheLastJobFinishes() throws Exception {
        UnfinishedJobs unfinished = new UnfinishedJobs();
        unfinished.awaitNone(); // nothing started: returns at once
        unfinished.started();
        unfinished.started();
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                unfinished.awaitNone();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return unfinished.count();
        });
        unfinished.finished();
        assertEquals(1, unfinished.count());
        assertFalse(waiter.isDone(), "one job is still unfinished");
        unfinished.finished();
        assertEquals(0, waiter.get(30, TimeUnit.SECONDS));
    }
}
