package io.yinghuo.web.generation.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.yinghuo.web.Json;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One remote OpenAI-compatible server: its LangChain4j client, the generations it is running now, and a simple
 * circuit breaker.
 *
 * <p>The circuit: after a failure that is the server's fault (connection refused, 5xx, timeout) the endpoint is
 * skipped for {@code downMillis}; then exactly one request is let through as a probe (the endpoint is "probing"),
 * and its outcome closes the circuit again or reopens it for another period. That is the usual circuit-breaker
 * pattern (closed, open, half-open), kept to what a handful of endpoints needs.
 */
public final class RemoteEndpoint {

    /** What {@code /api/model} and {@code /api/health} show. */
    public enum State { UP, DOWN, PROBING }

    private final String url;
    private final StreamingChatModel client;
    private final long downMillis;
    private final LongSupplier clock;

    private int outstanding;
    private long served;
    private long failures;
    private long downUntil;
    private boolean failedLast;
    private boolean probing;
    private String lastError;

    RemoteEndpoint(String url, StreamingChatModel client, long downMillis, LongSupplier clockMillis) {
        this.url = url;
        this.client = client;
        this.downMillis = downMillis;
        this.clock = clockMillis;
    }

    RemoteEndpoint(String url, StreamingChatModel client, long downMillis) {
        this(url, client, downMillis, () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
    }

    public String url() {
        return url;
    }

    StreamingChatModel client() {
        return client;
    }

    /** Whether a new request may go here now: up, or down long enough that one probe may go. */
    synchronized boolean available() {
        if (!failedLast) {
            return true;
        }
        return !probing && clock.getAsLong() >= downUntil;
    }

    synchronized int outstanding() {
        return outstanding;
    }

    /** Counts a request sent here; the first after a down period becomes the probe. */
    synchronized void acquire() {
        outstanding++;
        if (failedLast) {
            probing = true;
        }
    }

    /** The request has ended (answered, failed or cancelled). */
    synchronized void release() {
        outstanding--;
    }

    /** A request here was answered (or at least streamed): the circuit closes. */
    synchronized void succeeded() {
        served++;
        failedLast = false;
        probing = false;
        lastError = null;
    }

    /** A request here failed through the server's fault: skip this endpoint for a while. */
    synchronized void failed(String error) {
        failures++;
        failedLast = true;
        probing = false;
        downUntil = clock.getAsLong() + downMillis;
        lastError = error;
    }

    /** Milliseconds until this endpoint may be probed again (0 when available). */
    synchronized long millisUntilAvailable() {
        if (!failedLast) {
            return 0;
        }
        return Math.max(0, downUntil - clock.getAsLong());
    }

    synchronized State state() {
        if (!failedLast) {
            return State.UP;
        }
        return probing || clock.getAsLong() >= downUntil ? State.PROBING : State.DOWN;
    }

    synchronized ObjectNode json() {
        ObjectNode e = Json.object();
        e.put("url", url);
        e.put("state", state().name().toLowerCase(java.util.Locale.ROOT));
        e.put("outstanding", outstanding);
        e.put("served", served);
        e.put("failures", failures);
        if (lastError != null) {
            e.put("last_error", lastError);
        }
        if (state() == State.DOWN) {
            e.put("retry_in_seconds", (millisUntilAvailable() + 999) / 1000);
        }
        return e;
    }

    @Override
    public String toString() {
        return url;
    }
}
