package io.yinghuo.web.documents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.Json;
import io.yinghuo.web.Messages;

/**
 * {@code /api/ingest}: the state of ingestion jobs and of the background 语义索引 (vectors), as JSON or as a live
 * Server-Sent Events stream.
 */
public final class IngestRoutes {

    static final int MAX_BEHIND = 10_000;
    static final long HEARTBEAT_MILLIS = 10_000;
    /** How often an event stream looks at the vector backfill (and sends a {@code vectors} event if it moved). */
    static final long VECTORS_MILLIS = 1_000;

    private final IngestJobs jobs;
    private final VectorStatus vectors;
    private final IngestEventHub hub;

    public IngestRoutes(IngestJobs jobs, VectorStatus vectors) {
        this.jobs = jobs;
        this.vectors = vectors;
        this.hub = new IngestEventHub(jobs, () -> vectors.enabled() ? Json.write(vectors.json()) : null,
                IngestEventHub.Timings.DEFAULT);
    }

    /**
     * {@code GET /api/ingest}: {@code {jobs, vectors}}, every job the server remembers, oldest first, and where the
     * vector backfill stands ({@link VectorStatus#json}).
     */
    public void list(Context ctx) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        Messages.Lang lang = Messages.lang(ctx);
        for (IngestProgress p : jobs.all()) {
            array.add(DocumentJson.progress(p, lang));
        }
        ObjectNode body = Json.object();
        body.set("jobs", array);
        body.set("vectors", vectors.json());
        ctx.json(body);
    }

    /** {@code GET /api/ingest/{jobId}}. */
    public void get(Context ctx) {
        String raw = ctx.pathParam("jobId");
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no ingestion job " + Json.write(raw))
                    .localized("error.job_not_found", Json.write(raw));
        }
        IngestProgress progress = jobs.get(id)
                .orElseThrow(() -> ApiException.notFound("no ingestion job " + id + " (unknown or forgotten)")
                        .localized("error.job_not_found", id));
        ctx.json(DocumentJson.progress(progress, Messages.lang(ctx)));
    }

    /**
     * {@code GET /api/ingest/events}: Server-Sent Events, one {@code progress} event per stage change of any job;
     * on connecting, one for each unfinished job so that a reloaded page catches up. With an embedding model, a
     * {@code vectors} event (the {@code vectors} object of {@code GET /api/ingest}) on connecting and whenever the
     * vector backfill has moved, looked at every {@value #VECTORS_MILLIS} ms; a comment line after
     * {@value #HEARTBEAT_MILLIS} ms without an event. The stream holds no thread while idle ({@link IngestEventHub}:
     * async requests, non-blocking writes, one broadcaster thread); events are queued per client, so a slow client
     * never holds up ingestion or the other clients, and one that falls {@value #MAX_BEHIND} events behind is
     * disconnected (EventSource reconnects and catches up).
     */
    public void events(Context ctx) {
        hub.open(ctx);
    }

    /** Ends open event streams (server shutdown). */
    public void close() {
        hub.close();
    }
}
