package io.yinghuo.web.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.VectorProgress;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.web.Json;
import io.yinghuo.web.Messages;

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

    /** In English. */
    public static ObjectNode progress(IngestProgress p) {
        return progress(p, Messages.Lang.EN);
    }

    /**
     * One job's progress with its message in {@code lang}; {@code reason} is the message's machine-readable code
     * ("" when none) and {@code retryable} whether ingesting the file again may succeed (only ever true for a failed
     * job).
     */
    public static ObjectNode progress(IngestProgress p, Messages.Lang lang) {
        ObjectNode o = Json.object();
        o.put("job_id", p.jobId());
        o.put("file_name", p.fileName());
        o.put("document_id", p.docId());
        o.put("stage", p.stage().label());
        o.put("outcome", p.outcome() == null ? null : p.outcome().label());
        o.put("message", message(p, lang));
        o.put("reason", p.reason());
        o.put("retryable", p.retryable() && p.outcome() == io.yinghuo.ingest.pipeline.IngestOutcome.FAILED);
        o.put("characters", p.characters());
        o.put("chunks", p.chunks());
        o.put("final", p.stage().isFinal());
        com.fasterxml.jackson.databind.node.ArrayNode warnings = o.putArray("warnings");
        for (io.yinghuo.ingest.parse.ParseWarning w : p.warnings()) {
            warnings.addObject().put("code", w.code()).put("message", warning(w, lang));
        }
        return o;
    }

    /**
     * A parser warning in {@code lang}: the parser's own English text, or the catalogue's text for its code (its own
     * text where the catalogue does not know the code, rather than nothing).
     */
    static String warning(io.yinghuo.ingest.parse.ParseWarning w, Messages.Lang lang) {
        String key = "warning." + w.code();
        return lang == Messages.Lang.EN || !Messages.has(key) ? w.text() : Messages.text(lang, key, w.args());
    }

    /**
     * The job's message in {@code lang}: the pipeline's own English text (the most precise), or the catalogue's
     * text for its reason in another language.
     */
    static String message(IngestProgress p, Messages.Lang lang) {
        String key = "ingest." + p.reason();
        if (lang == Messages.Lang.EN || p.reason().isEmpty()) {
            return p.message();
        }
        return Messages.text(lang, Messages.has(key) ? key : "ingest.failed", p.reasonArgs());
    }
}
