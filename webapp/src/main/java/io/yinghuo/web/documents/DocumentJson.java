package io.yinghuo.web.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.VectorProgress;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.web.Json;

/**
 * The JSON shapes of documents and ingestion progress (snake_case, as the CLI's --json); search hits are
 * {@code io.yinghuo.web.ask.PassageJson}'s.
 */
public final class DocumentJson {

    private DocumentJson() {
    }

    /**
     * A catalogue entry; {@code vectors} says whether its chunks have vectors of the server's embedding model (false
     * while the background 语义索引 has not reached it, and always without an embedding model: keywords only).
     */
    public static ObjectNode document(DocumentRecord d, boolean vectors) {
        ObjectNode o = Json.object();
        o.put("id", d.docId());
        o.put("file_name", d.fileName());
        o.put("title", d.title());
        o.put("collection", d.collection());
        o.put("format", d.format());
        o.put("size_bytes", d.sizeBytes());
        o.put("pages", d.pageCount());
        o.put("chunks", d.chunkCount());
        o.put("characters", d.charCount());
        o.put("sha256", d.sha256());
        o.put("ingested_at", java.time.Instant.ofEpochMilli(d.ingestedAtMillis()).toString());
        o.put("has_original", !d.originalPath().isEmpty());
        o.put("vectors", vectors);
        return o;
    }

    /** The {@code vectors} object of {@code /api/health} and {@code /api/ingest} when there is no embedding model. */
    public static ObjectNode vectorsDisabled() {
        ObjectNode o = Json.object();
        o.put("enabled", false);
        return o;
    }

    /**
     * The {@code vectors} object of {@code /api/health}, {@code /api/ingest} and the {@code vectors} event of
     * {@code /api/ingest/events}: {@link VectorProgress}'s fields in snake_case, plus {@code enabled},
     * {@code complete}, {@code label} ("语义索引 340/2191") and {@code current_file_name} (the file name of
     * {@code current_document}, "" when none).
     */
    public static ObjectNode vectors(VectorProgress p, String currentFileName) {
        ObjectNode o = Json.object();
        o.put("enabled", true);
        o.put("space", p.space());
        o.put("state", p.state());
        o.put("chunks_done", p.chunksDone());
        o.put("chunks_total", p.chunksTotal());
        o.put("documents_done", p.documentsDone());
        o.put("documents_total", p.documentsTotal());
        o.put("current_document", p.currentDocument());
        o.put("current_file_name", currentFileName);
        o.put("current_done", p.currentDone());
        o.put("current_total", p.currentTotal());
        // JSON has no NaN or infinity: a rate that is not a number is reported as 0.
        double rate = p.chunksPerSecond();
        o.put("chunks_per_second", Double.isFinite(rate) ? Math.round(rate * 10) / 10.0 : 0);
        o.put("error", p.error());
        o.put("complete", p.complete());
        o.put("label", p.label());
        return o;
    }

    public static ObjectNode progress(IngestProgress p) {
        ObjectNode o = Json.object();
        o.put("job_id", p.jobId());
        o.put("file_name", p.fileName());
        o.put("document_id", p.docId());
        o.put("stage", p.stage().label());
        o.put("outcome", p.outcome() == null ? null : p.outcome().label());
        o.put("message", p.message());
        o.put("characters", p.characters());
        o.put("chunks", p.chunks());
        o.put("final", p.stage().isFinal());
        return o;
    }
}
