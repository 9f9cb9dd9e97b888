package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.web.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The passage's {@code retrieval} and {@code similarity}: present for hybrid hits, never NaN in the JSON. */
class PassageJsonTest {

    private static SearchHit hit(String retrieval, float similarity) {
        return new SearchHit("doc-1", "", "长江.txt", "长江", 0, 1, "", 0, 6, "长江很长。", 0.75f, List.of(), null,
                retrieval, similarity);
    }

    @Test
    void aHybridHitCarriesItsSimilarityAfterTheScore() throws Exception {
        ObjectNode json = PassageJson.hit(hit(SearchHit.HYBRID, 0.875f));
        assertEquals("hybrid", json.get("retrieval").asText());
        assertEquals(0.875, json.get("similarity").asDouble(), 1e-6);
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("score", "retrieval", "similarity", "text"),
                names.subList(names.indexOf("score"), names.indexOf("text") + 1));
        JsonNode reread = Json.MAPPER.readTree(Json.write(json));
        assertEquals(0.875, reread.get("similarity").asDouble(), 1e-6);
    }

    @Test
    void aLexicalHitHasNoSimilarityAndTheJsonNeverSaysNaN() throws Exception {
        ObjectNode json = PassageJson.hit(hit(SearchHit.LEXICAL, Float.NaN));
        assertEquals("lexical", json.get("retrieval").asText());
        assertFalse(json.has("similarity"), json.toString());
        String written = Json.write(PassageJson.searchResults("长江", List.of(hit(SearchHit.LEXICAL, Float.NaN),
                hit(SearchHit.HYBRID, 0.5f))));
        assertFalse(written.contains("NaN"), written);
        JsonNode hits = Json.MAPPER.readTree(written).get("hits");
        assertFalse(hits.get(0).has("similarity"));
        assertTrue(hits.get(1).has("similarity"));
    }
}
