package io.yinghuo.web.documents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.search.Highlight;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.web.Json;

import java.util.List;

/** The JSON shapes of documents, ingestion progress and search hits (snake_case, as the CLI's --json). */
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

    /** A search hit; {@code snippet_html} is escaped HTML with {@code <mark>} around matches, safe to insert. */
    public static ObjectNode hit(SearchHit hit) {
        ObjectNode h = Json.object();
        h.put("document_id", hit.docId());
        h.put("file_name", hit.fileName());
        h.put("title", hit.title());
        h.put("collection", hit.collection());
        h.put("page", hit.page());
        h.put("heading_path", hit.headingPath());
        h.put("chunk_index", hit.chunkIndex());
        h.put("start", hit.start());
        h.put("end", hit.end());
        h.put("score", hit.score());
        h.put("text", hit.text());
        spans(h.putArray("highlights"), hit.highlights());
        if (hit.snippet() != null) {
            ObjectNode snippet = h.putObject("snippet");
            snippet.put("text", hit.snippet().text());
            snippet.put("offset", hit.snippet().chunkOffset());
            spans(snippet.putArray("highlights"), hit.snippet().highlights());
            h.put("snippet_html", hit.snippet().toHtml());
        }
        return h;
    }

    private static void spans(ArrayNode array, List<Highlight> highlights) {
        for (Highlight highlight : highlights) {
            array.addArray().add(highlight.start()).add(highlight.end());
        }
    }
}
