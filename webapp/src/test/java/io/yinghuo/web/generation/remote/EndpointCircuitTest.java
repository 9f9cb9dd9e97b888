package io.yinghuo.web.generation.remote;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The circuit of one endpoint (down for a while, then one probe) and least-outstanding picking, on a fake clock. */
class EndpointCircuitTest {

    private final AtomicLong now = new AtomicLong(1_000);

    private RemoteEndpoint endpoint(String url) {
        return new RemoteEndpoint(url, null, 10_000, now::get);
    }

    @Test
    void aFailedEndpointIsSkippedForItsDownPeriodThenProbedOnce() {
        RemoteEndpoint e = endpoint("http://a/v1");
        assertEquals(RemoteEndpoint.State.UP, e.state());
        e.acquire();
        e.failed("connection refused");
        e.release();
        assertFalse(e.available());
        assertEquals(RemoteEndpoint.State.DOWN, e.state());
        assertEquals(10, e.json().get("retry_in_seconds").asInt());

        now.addAndGet(10_000);
        assertTrue(e.available(), "probed after the down period");
        e.acquire(); // the probe
        assertFalse(e.available(), "one probe at a time");
        assertEquals(RemoteEndpoint.State.PROBING, e.state());
        e.succeeded();
        e.release();
        assertEquals(RemoteEndpoint.State.UP, e.state());
        assertTrue(e.available());
    }

    @Test
    void aFailedProbeReopensTheCircuit() {
        RemoteEndpoint e = endpoint("http://a/v1");
        e.failed("HTTP 503");
        now.addAndGet(10_000);
        e.acquire();
        e.failed("HTTP 503");
        e.release();
        assertFalse(e.available());
        now.addAndGet(9_999);
        assertFalse(e.available());
        assertEquals(RemoteEndpoint.State.DOWN, e.state());
        now.addAndGet(1);
        assertTrue(e.available());
        assertEquals(RemoteEndpoint.State.PROBING, e.state(), "/api/model says probing from the moment it may be");
    }

    @Test
    void picksTheEndpointWithFewestRequestsInFlightSkippingDownAndTriedOnes() {
        RemoteEndpoint a = endpoint("http://a/v1");
        RemoteEndpoint b = endpoint("http://b/v1");
        RemoteEndpoint c = endpoint("http://c/v1");
        LeastOutstandingPicker picker = new LeastOutstandingPicker(List.of(a, b, c));
        RemoteEndpoint first = picker.acquire(Set.of());
        RemoteEndpoint second = picker.acquire(Set.of());
        RemoteEndpoint third = picker.acquire(Set.of());
        assertEquals(Set.of(a, b, c), Set.of(first, second, third), "three requests, three endpoints");
        first.release();
        assertSame(first, picker.acquire(Set.of()), "the one that finished has the fewest in flight");

        b.failed("timed out");
        assertNull(picker.acquire(Set.of(a, c)), "b is down, a and c were tried");
        assertTrue(Set.of(a, c).contains(picker.acquire(Set.of(b))));
    }

    @Test
    void aRequestThatSkippedATriedEndpointStillCountsOnTheOneItGot() {
        RemoteEndpoint a = endpoint("http://a/v1");
        RemoteEndpoint b = endpoint("http://b/v1");
        LeastOutstandingPicker picker = new LeastOutstandingPicker(List.of(a, b));
        assertSame(b, picker.acquire(Set.of(a)), "a retry after a failed on a");
        assertSame(a, picker.acquire(Set.of()), "b is busy with the retry, a is idle");
        assertEquals(1, a.outstanding());
        assertEquals(1, b.outstanding());
    }

    @Test
    void withEveryEndpointDownTheRefusalNamesEachAndRetryAfterIsTheSoonest() {
        RemoteEndpoint a = endpoint("http://a/v1");
        RemoteEndpoint b = endpoint("http://b/v1");
        a.failed("HTTP 503");
        now.addAndGet(4_500);
        b.failed("connection refused");
        try (RemoteStreamingChatModel model = new RemoteStreamingChatModel(List.of(a, b), null, 30_000, null)) {
            // a: 5.5 s left, b: 10 s; whole seconds rounded up, so a client that waits them finds a probing
            RemoteModelException refused = assertThrows(RemoteModelException.class, model::checkAvailable);
            assertEquals("no remote model server could answer (http://a/v1: down after an error, retried in 6 s;"
                    + " http://b/v1: down after an error, retried in 10 s)", refused.getMessage());
            assertEquals(6, refused.toApiException().retryAfterSeconds());
            assertEquals(503, refused.toApiException().status());

            AtomicReference<Throwable> error = new AtomicReference<>();
            model.chat(ChatRequest.builder().messages(UserMessage.from("你好")).build(),
                    new StreamingChatResponseHandler() {
                        @Override
                        public void onCompleteResponse(ChatResponse response) {
                        }

                        @Override
                        public void onError(Throwable e) {
                            error.set(e);
                        }
                    });
            RemoteModelException streamed = (RemoteModelException) error.get();
            assertEquals(refused.getMessage(), streamed.getMessage(), "told at once, before any endpoint is tried");
            assertEquals(6, streamed.toApiException().retryAfterSeconds());
        }
    }
}
