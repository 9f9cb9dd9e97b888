package io.yinghuo.web.documents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.Json;
import io.yinghuo.web.SseStream;

import java.util.function.Consumer;

/** {@code /api/ingest}: the state of ingestion jobs, as JSON or as a live Server-Sent Events stream. */
public final class IngestRoutes {

    static final int MAX_BEHIND = 10_000;
    static final long HEARTBEAT_MILLIS = 10_000;

    private final IngestJobs jobs;
    private volatile boolean closed;

    public IngestRoutes(IngestJobs jobs) {
        this.jobs = jobs;
    }

    /** {@code GET /api/ingest}: every job the server remembers, oldest first. */
    public void list(Context ctx) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (IngestProgress p : jobs.all()) {
            array.add(DocumentJson.progress(p));
        }
        ObjectNode body = Json.object();
        body.set("jobs", array);
        ctx.json(body);
    }

    /** {@code GET /api/ingest/{jobId}}. */
    public void get(Context ctx) {
        String raw = ctx.pathParam("jobId");
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no ingestion job " + Json.write(raw));
        }
        IngestProgress progress = jobs.get(id)
                .orElseThrow(() -> ApiException.notFound("no ingestion job " + id + " (unknown or forgotten)"));
        ctx.json(DocumentJson.progress(progress));
    }

    /**
     * {@code GET /api/ingest/events}: Server-Sent Events, one {@code progress} event per stage change of any job;
     * on connecting, one for each unfinished job so that a reloaded page catches up. Events are queued per client
     * and written by the request's own thread, so a slow client never holds up ingestion; a client that falls
     * {@value #MAX_BEHIND} events behind is disconnected (EventSource reconnects and catches up).
     */
    public void events(Context ctx) throws java.io.IOException {
        java.util.concurrent.BlockingQueue<IngestProgress> queue =
                new java.util.concurrent.LinkedBlockingQueue<>(MAX_BEHIND);
        Consumer<IngestProgress> forward = p -> {
            if (!queue.offer(p)) {
                throw new IllegalStateException("client too slow"); // IngestJobs drops a failing subscriber
            }
        };
        jobs.subscribe(forward);
        try {
            SseStream stream = new SseStream(ctx);
            for (IngestProgress p : jobs.unfinished()) {
                stream.event("progress", Json.write(DocumentJson.progress(p)));
            }
            while (!closed) {
                IngestProgress p = queue.poll(HEARTBEAT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (p == null) {
                    if (!jobs.subscribed(forward)) {
                        return;
                    }
                    stream.heartbeat();
                } else {
                    stream.event("progress", Json.write(DocumentJson.progress(p)));
                }
            }
        } catch (java.io.IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping
        } finally {
            jobs.unsubscribe(forward);
        }
    }

    /** Ends open event streams (server shutdown). */
    public void close() {
        closed = true;
    }
}
