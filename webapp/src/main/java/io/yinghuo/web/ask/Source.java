package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.retrieval.search.Highlight;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.Snippet;
import io.yinghuo.web.Json;

/**
 * A passage as the UI shows it under an answer.
 *
 * @param source the passage as the QA service numbered it (file, page, offsets, text)
 * @param match the same chunk as a search hit, for its highlighted snippet; null when the search did not return it
 * @param cited whether the answer cites it
 */
public record Source(io.yinghuo.retrieval.rag.Source source, SearchHit match, boolean cited) {

    static final int PLAIN_SNIPPET_CHARS = 160;

    public ObjectNode toJson() {
        io.yinghuo.retrieval.rag.Source s = source;
        ObjectNode o = Json.object();
        o.put("number", s.number());
        o.put("cited", cited);
        o.put("part", s.part());
        o.put("document_id", s.docId());
        o.put("file_name", s.fileName());
        o.put("title", s.title());
        o.put("page", s.page());
        o.put("chunk_index", s.chunkIndex());
        o.put("start", s.start());
        o.put("end", s.end());
        o.put("score", s.score());
        o.put("text", s.text());
        ObjectNode snippet = o.putObject("snippet");
        ArrayNode highlights = snippet.putArray("highlights");
        Snippet matched = match == null ? null : match.snippet();
        if (matched != null) {
            snippet.put("text", matched.text());
            snippet.put("offset", matched.chunkOffset());
            for (Highlight h : matched.highlights()) {
                highlights.addArray().add(h.start()).add(h.end());
            }
            o.put("snippet_html", matched.toHtml());
        } else {
            String text = s.text().length() <= PLAIN_SNIPPET_CHARS ? s.text()
                    : s.text().substring(0, PLAIN_SNIPPET_CHARS) + "…";
            snippet.put("text", text);
            snippet.put("offset", 0);
            o.put("snippet_html", new Snippet(text, 0, java.util.List.of(), false, false).toHtml());
        }
        return o;
    }
}
