package io.yinghuo.web.documents;

import io.yinghuo.web.Messages;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One Server-Sent Events stream's writer against a container that is sometimes not ready: what the client receives,
 * in which order, when the headers go out, and when the stream gives up on a client.
 */
class EventStreamTest {

    private final FakeEventOutput out = new FakeEventOutput();
    private final List<EventStream> ends = new ArrayList<>();

    private EventStream stream(int maxBehind) {
        return new EventStream(out, Messages.Lang.ZH, maxBehind, ends::add);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesNothingBeforeTheContainerSaysTheConnectionIsWritable() {
        EventStream stream = stream(10);
        stream.start(List.of(bytes("event: progress\ndata: 1\n\n")), null);
        stream.send(bytes("event: progress\ndata: 2\n\n"));
        assertSame(stream, out.listener(), "the stream went non-blocking with itself as the listener");
        assertEquals("", out.text());
        assertEquals(0, out.flushes());

        out.open();
        assertEquals("event: progress\ndata: 1\n\nevent: progress\ndata: 2\n\n", out.text());
        assertEquals(1, out.flushes(), "written, then flushed once");
    }

    @Test
    void theHeadersGoOutAtOnceEvenWithoutAnEvent() {
        stream(10).start(List.of(), null);
        out.open();
        assertEquals(1, out.flushes(), "the first flush commits the headers: the client sees the stream open");
        out.unblock();
        assertEquals(1, out.flushes(), "nothing new written, nothing flushed");
    }

    @Test
    void eventsWaitForASlowConnectionAndArriveInOrder() {
        EventStream stream = stream(10);
        stream.start(List.of(), null);
        out.open();
        out.block();
        stream.send(bytes("a\n\n"));
        stream.send(bytes("b\n\n"));
        assertEquals("", out.text(), "nothing written while the connection cannot take it");

        out.unblock();
        assertEquals("a\n\nb\n\n", out.text());
        assertEquals(2, out.flushes());
        assertTrue(ends.isEmpty());
    }

    @Test
    void aClientThatFallsMaxBehindEventsBehindIsEndedOnce() {
        EventStream stream = stream(3);
        stream.start(List.of(), null);
        out.open();
        out.block();
        for (int i = 0; i < 3; i++) {
            stream.send(bytes(i + "\n\n"));
        }
        assertTrue(ends.isEmpty(), "three unwritten events are allowed");
        assertFalse(stream.ended());

        stream.send(bytes("3\n\n"));
        assertTrue(stream.ended(), "the fourth ends the stream");
        assertEquals(List.of(stream), ends);
        stream.send(bytes("4\n\n"));
        stream.close();
        out.unblock();
        assertEquals("", out.text(), "its unwritten events are dropped, nothing is written after the end");
        assertEquals(1, ends.size(), "ended once");
    }

    @Test
    void aConnectionThatFailsEndsTheStream() {
        EventStream stream = stream(10);
        stream.start(List.of(), null);
        out.open();
        out.failWrites();
        stream.send(bytes("a\n\n"));
        assertTrue(stream.ended());
        assertEquals(List.of(stream), ends);
    }

    @Test
    void theContainerReportingAnErrorEndsTheStreamOnce() {
        EventStream stream = stream(10);
        stream.start(List.of(), null);
        out.listener().onError(new EOFException("the client went away"));
        stream.close();
        assertTrue(stream.ended());
        assertEquals(List.of(stream), ends);
    }

    @Test
    void aTickSendsTheVectorsWhenTheyMovedElseAHeartbeatWhenQuiet() {
        EventStream stream = stream(10);
        stream.start(List.of(bytes("event: vectors\ndata: v1\n\n")), "v1");
        out.open();
        long longAgo = System.nanoTime() - 3_600_000_000_000L;
        long fromNowOn = System.nanoTime() + 3_600_000_000_000L;

        stream.tick("v1", bytes("event: vectors\ndata: v1\n\n"), longAgo);
        assertEquals("event: vectors\ndata: v1\n\n", out.text(), "unchanged vectors, not quiet: nothing");

        stream.tick("v2", bytes("event: vectors\ndata: v2\n\n"), fromNowOn);
        assertEquals("event: vectors\ndata: v1\n\nevent: vectors\ndata: v2\n\n", out.text(),
                "moved vectors are sent, not a heartbeat");

        stream.tick("v2", bytes("event: vectors\ndata: v2\n\n"), fromNowOn);
        assertTrue(out.text().endsWith("data: v2\n\n: keep-alive\n\n"), "quiet and unchanged: a heartbeat");
    }

    @Test
    void withoutAnEmbeddingModelATickOnlyKeepsAQuietStreamAlive() {
        EventStream stream = stream(10);
        stream.start(List.of(), null);
        out.open();
        stream.tick(null, null, System.nanoTime() - 3_600_000_000_000L);
        assertEquals("", out.text());
        stream.tick(null, null, System.nanoTime() + 3_600_000_000_000L);
        assertEquals(": keep-alive\n\n", out.text());
    }
}
