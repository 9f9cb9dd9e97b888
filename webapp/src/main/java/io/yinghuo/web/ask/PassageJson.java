package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.retrieval.rag.Source;
import io.yinghuo.retrieval.search.Highlight;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.Snippet;
import io.yinghuo.web.Json;

import java.util.List;

/**
 * The one JSON shape of a passage, written by {@code yinghuo search --json}, {@code GET /api/search}, and, with its
 * citation fields added, {@code POST /api/ask} and {@code yinghuo ask --json} (the README's REST API table):
 * <pre>
 * {document_id, file_name, title, collection, page, heading_path, chunk_index, start, end, score, retrieval,
 *  similarity, text, highlights: [[start, end]...], snippet: {text, offset, highlights}, snippet_html}
 * </pre>
 * {@code score} is the fused relevance in [0, 1]; {@code retrieval} is {@code hybrid} (ranked by keywords and
 * meaning: the chunk has a vector) or {@code lexical} (keywords only: its document has no vector yet, or there is no
 * embedding model); {@code similarity}, the question's and the chunk's vectors' relevance score {@code (1 + cos) / 2}
 * in [0, 1], is present for hybrid hits only (JSON has no NaN).
 * {@code start}/{@code end} are UTF-16 offsets in the document's parsed text, {@code highlights} offsets into
 * {@code text}, {@code snippet.offset} where the snippet starts in {@code text} and {@code snippet.highlights}
 * offsets into {@code snippet.text}; {@code snippet_html} is {@link Snippet#toHtml()}, escaped HTML with
 * {@code <mark>} around matches. One serializer, so that a client reads a passage the same way whichever command or
 * endpoint returned it.
 */
public final class PassageJson {

    private PassageJson() {
    }

    /** {@code {query, hits[]}}: a search's answer. */
    public static ObjectNode searchResults(String query, List<SearchHit> hits) {
        ObjectNode body = Json.object();
        body.put("query", query);
        ArrayNode array = body.putArray("hits");
        for (SearchHit hit : hits) {
            array.add(hit(hit));
        }
        return body;
    }

    /** A hit; {@code snippet} and {@code snippet_html} are null when the search computed no snippets. */
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
        h.put("retrieval", hit.retrieval());
        if (Float.isFinite(hit.similarity())) {
            h.put("similarity", hit.similarity());
        }
        h.put("text", hit.text());
        spans(h.putArray("highlights"), hit.highlights());
        Snippet snippet = hit.snippet();
        if (snippet == null) {
            h.putNull("snippet");
            h.putNull("snippet_html");
        } else {
            ObjectNode s = h.putObject("snippet");
            s.put("text", snippet.text());
            s.put("offset", snippet.chunkOffset());
            spans(s.putArray("highlights"), snippet.highlights());
            h.put("snippet_html", snippet.toHtml());
        }
        return h;
    }

    /**
     * A source of an answer: its hit, then {@code number} (the [n] in the answer), {@code part} (0-based question
     * part it was retrieved for) and {@code cited}.
     */
    public static ObjectNode source(Source source, boolean cited) {
        ObjectNode o = hit(source.hit());
        o.put("number", source.number());
        o.put("part", source.part());
        o.put("cited", cited);
        return o;
    }

    private static void spans(ArrayNode array, List<Highlight> highlights) {
        for (Highlight highlight : highlights) {
            array.addArray().add(highlight.start()).add(highlight.end());
        }
    }
}
