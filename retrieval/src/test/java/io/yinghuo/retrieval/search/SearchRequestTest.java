package io.yinghuo.retrieval.search;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A search's options: refused when out of range, and each changed without touching the others. */
class SearchRequestTest {

    private static void refused(String message, Runnable request) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, request::run).getMessage());
    }

    @Test
    void outOfRangeOptionsAreRefusedWithTheValue() {
        refused("maxResults must be at least 1, got 0", () -> SearchRequest.of("长江", 0));
        refused("minScore must be in [0, 1], got -0.1", () -> SearchRequest.of("长江", 5).withMinScore(-0.1));
        refused("minScore must be in [0, 1], got 1.1", () -> SearchRequest.of("长江", 5).withMinScore(1.1));
        refused("minScore must be in [0, 1], got NaN", () -> SearchRequest.of("长江", 5).withMinScore(Double.NaN));
        assertThrows(NullPointerException.class, () -> SearchRequest.of(null, 5));
    }

    @Test
    void theEdgesOfEachRangeAreAccepted() {
        assertEquals(1, SearchRequest.of("长江", 1).maxResults());
        assertEquals(0.0, SearchRequest.of("长江", 5).withMinScore(0).minScore());
        assertEquals(1.0, SearchRequest.of("长江", 5).withMinScore(1).minScore());
    }

    @Test
    void eachOptionKeepsTheOthers() {
        SearchRequest request = SearchRequest.of("长江", 5).withDocIds(List.of("river")).withCollections(List.of("地理"))
                .withMinScore(0.5).withSnippets(false);
        assertEquals(new SearchRequest("长江", 5, Set.of("river"), Set.of("地理"), 0.5, false), request);
        assertEquals(Set.of("地理"), request.withDocIds(List.of()).collections());
        assertEquals(Set.of("river"), request.withCollections(List.of()).docIds());
        assertFalse(request.withMinScore(0.2).snippets());
        assertEquals(0.5, request.withSnippets(true).minScore());
    }

    @Test
    void aHitIsHybridOrLexical() {
        refused("retrieval must be hybrid or lexical, got dense",
                () -> new SearchHit("d", "", "d.txt", "d", 0, 1, "", 0, 1, "x", 1f, List.of(), null, "dense", 1f));
        assertEquals(SearchHit.LEXICAL, new SearchHit("d", "", "d.txt", "d", 0, 1, "", 0, 1, "x", 1f, List.of(), null,
                SearchHit.LEXICAL, Float.NaN).retrieval());
    }
}
