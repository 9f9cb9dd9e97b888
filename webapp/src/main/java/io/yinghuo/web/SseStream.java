package io.yinghuo.web;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events response written directly to the servlet output, for POST endpoints (Javalin's SSE support
 * is GET-only, and a question or an OpenAI request is a POST). Every write is flushed, so each token leaves at once;
 * a write to a client that has gone throws {@link IOException}, which is how a generation learns to stop.
 */
public final class SseStream {

    private final OutputStream out;

    public SseStream(Context ctx) throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no"); // reverse proxies: do not buffer the stream
        this.out = ctx.res().getOutputStream();
        out.flush(); // commit the headers: clients see the stream open before the first token
    }

    /** {@code event: NAME} with one line of JSON data. */
    public void event(String name, String json) throws IOException {
        write("event: " + name + "\ndata: " + json + "\n\n");
    }

    /** A data-only event (the OpenAI streaming format). */
    public void data(String payload) throws IOException {
        write("data: " + payload + "\n\n");
    }

    /** A comment line: keeps the connection alive and detects a client that has gone. */
    public void heartbeat() throws IOException {
        write(": keep-alive\n\n");
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
