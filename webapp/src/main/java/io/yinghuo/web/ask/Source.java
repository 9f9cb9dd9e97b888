package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.web.documents.DocumentJson;

/**
 * A retrieved passage as the answer numbers it.
 *
 * @param number the n of "[n]" in the answer (1-based)
 * @param hit the passage, with file, page, offsets and highlighted snippet
 * @param cited whether the answer cites it (always true for evidence-only answers)
 */
public record Source(int number, SearchHit hit, boolean cited) {

    public ObjectNode toJson() {
        ObjectNode o = DocumentJson.hit(hit);
        o.put("number", number);
        o.put("cited", cited);
        return o;
    }

    public Source withCited(boolean value) {
        return new Source(number, hit, value);
    }
}
