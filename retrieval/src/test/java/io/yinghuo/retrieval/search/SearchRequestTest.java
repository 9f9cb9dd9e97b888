package io.yinghuo.retrieval.search;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The requests a caller may make, and the ones refused before any search runs. */
class SearchRequestTest {

    @Test
    void atLeastOneResult() {
        assertEquals(1, SearchRequest.of("故宫", 1).maxResults());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SearchRequest.of("故宫", 0));
        assertEquals("maxResults must be at least 1, got 0", refused.getMessage());
    }

    @Test
    void minScoreWithinZeroAndOne() {
        assertEquals(0.0, SearchRequest.of("故宫", 3).withMinScore(0).minScore());
        assertEquals(1.0, SearchRequest.of("故宫", 3).withMinScore(1).minScore());
        for (double bad : new double[] {-0.01, 1.01, Double.NaN}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> SearchRequest.of("故宫", 3).withMinScore(bad));
            assertTrue(refused.getMessage().startsWith("minScore must be in [0, 1], got "), refused.getMessage());
        }
    }

    @Test
    void aQueryIsRequired() {
        assertThrows(NullPointerException.class, () -> SearchRequest.of(null, 3));
    }

    @Test
    void withersChangeOnlyTheirField() {
        SearchRequest request = SearchRequest.of("故宫", 3).withDocIds(List.of("a", "b"))
                .withCollections(List.of("geo")).withMinScore(0.5).withSnippets(false);
        assertEquals(new SearchRequest("故宫", 3, Set.of("a", "b"), Set.of("geo"), 0.5, false), request);
    }

    @Test
    void aHitIsHybridOrLexical() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new SearchHit("d", "", "d.txt", "d", 0, 1, "", 0, 1, "x", 1f, List.of(), null, "dense", 1f));
        assertEquals("retrieval must be hybrid or lexical, got dense", refused.getMessage());
        assertEquals(SearchHit.LEXICAL, new SearchHit("d", "", "d.txt", "d", 0, 1, "", 0, 1, "x", 1f, List.of(), null,
                SearchHit.LEXICAL, Float.NaN).retrieval());
    }
}
