package io.yinghuo.web;

import io.yinghuo.web.generation.GenerationQueue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fair queue in front of the model: first come first served, withdrawals, a bounded waiting line. */
class GenerationQueueTest {

    @Test
    void servesTicketsInArrivalOrderOneAtATime() throws InterruptedException {
        GenerationQueue queue = new GenerationQueue(10);
        GenerationQueue.Ticket a = queue.enter();
        GenerationQueue.Ticket b = queue.enter();
        GenerationQueue.Ticket c = queue.enter();
        assertFalse(queue.awaitTurn(b, 0), "b is behind a");
        assertTrue(queue.awaitTurn(a, 0));
        assertEquals(1, queue.ahead(b));
        assertEquals(2, queue.ahead(c));
        assertFalse(queue.awaitTurn(c, 0));
        queue.leave(a);
        assertFalse(queue.awaitTurn(c, 0), "c must not overtake b");
        assertTrue(queue.awaitTurn(b, 0));
        queue.leave(b);
        assertTrue(queue.awaitTurn(c, 0));
        queue.leave(c);
        assertFalse(queue.busy());
    }

    @Test
    void aWithdrawnTicketLetsTheNextOneThrough() throws InterruptedException {
        GenerationQueue queue = new GenerationQueue(10);
        GenerationQueue.Ticket a = queue.enter();
        GenerationQueue.Ticket b = queue.enter();
        queue.leave(a); // gave up while waiting (its client went away)
        assertTrue(queue.awaitTurn(b, 0));
        assertEquals(0, queue.waiting());
    }

    @Test
    void countsEveryRequestGivenTheModelEvenOnesAlreadyFinished() throws InterruptedException {
        GenerationQueue queue = new GenerationQueue(10);
        GenerationQueue.Ticket a = queue.enter();
        GenerationQueue.Ticket b = queue.enter();
        queue.leave(b); // withdrawn while waiting: never given the model
        assertFalse(queue.awaitAdmitted(1, 0));
        assertTrue(queue.awaitTurn(a, 0));
        queue.leave(a); // done before anyone looked
        assertFalse(queue.busy());
        assertEquals(1, queue.admitted());
        assertTrue(queue.awaitAdmitted(1, 0), "a generation that already ended still counts");
        assertFalse(queue.awaitAdmitted(2, 0));
    }

    @Test
    void refusesMoreWaitingRequestsThanItsLimitWith503() throws InterruptedException {
        GenerationQueue queue = new GenerationQueue(2);
        GenerationQueue.Ticket a = queue.enter();
        queue.enter();
        ApiException full = assertThrows(ApiException.class, queue::enter);
        assertEquals(503, full.status());
        assertEquals("queue_full", full.code());
        assertTrue(queue.awaitTurn(a, 0)); // the running one no longer waits
        queue.enter();
    }

    @Test
    void aWaiterIsWokenWhenTheModelIsReleased() throws Exception {
        GenerationQueue queue = new GenerationQueue(10);
        GenerationQueue.Ticket a = queue.enter();
        assertTrue(queue.awaitTurn(a, 0));
        GenerationQueue.Ticket b = queue.enter();
        java.util.concurrent.CompletableFuture<Boolean> turn = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return queue.awaitTurn(b, 60_000);
                    } catch (InterruptedException e) {
                        return false;
                    }
                });
        queue.leave(a);
        assertTrue(turn.get());
    }

    @Test
    void aTicketBehindTheRunningOneWaitsItsWholeAllowanceBeforeGivingUp() throws InterruptedException {
        GenerationQueue queue = new GenerationQueue(10);
        GenerationQueue.Ticket a = queue.enter();
        assertTrue(queue.awaitTurn(a, 0));
        GenerationQueue.Ticket b = queue.enter();
        long start = System.nanoTime();
        assertFalse(queue.awaitTurn(b, 300));
        assertTrue(System.nanoTime() - start >= 300_000_000L, "gave up before its 300 ms");
        start = System.nanoTime();
        assertFalse(queue.awaitState((waiting, running) -> waiting == 5, 300));
        assertTrue(System.nanoTime() - start >= 300_000_000L, "gave up before its 300 ms");
        assertTrue(queue.awaitState((waiting, running) -> waiting == 1 && running, 0));
        assertTrue(queue.awaitAdmitted(1, 0));
        assertFalse(queue.awaitAdmitted(2, 0));
    }
}
