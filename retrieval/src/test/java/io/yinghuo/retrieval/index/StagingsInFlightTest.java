package io.yinghuo.retrieval.index;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagingsInFlightTest {

    private final StagingsInFlight inFlight = new StagingsInFlight();

    @Test
    void aCommitWithNothingUnderWayGoesOnAtOnce() {
        inFlight.awaitBegunBefore();
        inFlight.end(inFlight.begin());
        inFlight.awaitBegunBefore();
    }

    @Test
    void aCommitWaitsForEveryStagingBegunBeforeItAskedAndForNoLaterOne() throws Exception {
        long first = inFlight.begin();
        long second = inFlight.begin();
        Thread committer = new Thread(inFlight::awaitBegunBefore, "committer");
        committer.start();
        awaitWaiting(committer);

        long later = inFlight.begin(); // begun after the commit asked: not waited for
        inFlight.end(first);
        awaitWaiting(committer); // woken, and waiting again for the second
        assertTrue(committer.isAlive(), "the commit went on while a staging begun before it was under way");

        inFlight.end(second);
        committer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(committer.isAlive(), "the commit waited for a staging begun after it asked");

        // The later staging belongs to the next commit.
        CompletableFuture<Void> next = CompletableFuture.runAsync(inFlight::awaitBegunBefore);
        assertFalse(next.isDone());
        inFlight.end(later);
        next.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWaitingCommitKeepsWaitingThroughAnInterruptAndKeepsTheInterruptForItsCaller() throws Exception {
        long ticket = inFlight.begin();
        boolean[] interruptedAfter = new boolean[1];
        Thread committer = new Thread(() -> {
            inFlight.awaitBegunBefore();
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
        }, "committer");
        committer.start();
        awaitWaiting(committer);
        committer.interrupt();
        // Until the wait has thrown (which clears the flag) and the committer waits again: a notify racing the
        // interrupt could otherwise end the wait normally with the flag still set, whatever the code does with it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (committer.isInterrupted()) {
            assertTrue(System.nanoTime() < deadline, "the interrupt was never taken");
            Thread.onSpinWait();
        }
        awaitWaiting(committer);
        assertTrue(committer.isAlive(), "an interrupt ended the wait while a staging was under way");
        inFlight.end(ticket);
        committer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(committer.isAlive());
        assertTrue(interruptedAfter[0], "the interrupt was swallowed");
    }

    @Test
    void endingATicketThatIsNotOpenIsAProgrammingError() {
        long ticket = inFlight.begin();
        inFlight.end(ticket);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> inFlight.end(ticket));
        assertEquals("no staging open with ticket " + ticket, e.getMessage());
        inFlight.awaitBegunBefore(); // the failed end left nothing open
    }

    /** Until the thread is parked in {@code wait} (its state, not a timed guess). */
    private static void awaitWaiting(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "the thread never waited: " + thread.getState());
            Thread.onSpinWait();
        }
    }
}
