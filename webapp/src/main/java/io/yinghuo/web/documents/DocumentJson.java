package io.yinghuo.web.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.web.Json;

/**
 * The JSON shapes of documents and ingestion progress (snake_case, as the CLI's --json); search hits are
 * {@code io.yinghuo.web.ask.PassageJson}'s.
 */
public final class DocumentJson {

    private DocumentJson() {
    }

    public static ObjectNode document(DocumentRecord d) {
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
