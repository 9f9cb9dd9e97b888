package io.yinghuo.web.generation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A queue that runs several generations at once (remote model servers), still first come, first served. */
class GenerationQueueConcurrencyTest {

    @Test
    void runsUpToMaxRunningAtOnceAndTheRestWaitInOrder() throws InterruptedException {
        GenerationQueue queue = new GenerationQueue(10, 2);
        GenerationQueue.Ticket a = queue.enter();
        GenerationQueue.Ticket b = queue.enter();
        GenerationQueue.Ticket c = queue.enter();
        GenerationQueue.Ticket d = queue.enter();
        assertTrue(queue.awaitTurn(a, 10));
        assertTrue(queue.awaitTurn(b, 10));
        assertEquals(2, queue.running());
        assertEquals(1, queue.ahead(c), "both places taken: c waits for one");
        assertEquals(2, queue.ahead(d));
        assertFalse(queue.awaitTurn(d, 10), "d is not first in line");
        assertFalse(queue.awaitTurn(c, 10), "no place free");
        queue.leave(a);
        assertFalse(queue.awaitTurn(d, 10), "c is before d");
        assertTrue(queue.awaitTurn(c, 10));
        queue.leave(b);
        assertTrue(queue.awaitTurn(d, 10));
        assertEquals(0, queue.waiting());
        assertTrue(queue.busy());
    }
}
