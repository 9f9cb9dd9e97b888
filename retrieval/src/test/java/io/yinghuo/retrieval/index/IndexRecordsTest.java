package io.yinghuo.retrieval.index;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the index package's records accept: chunk bounds, term boosts, the default collection. */
class IndexRecordsTest {

    @Test
    void theFirstChunkMayStartTheDocumentAndBeEmpty() {
        assertEquals(0, new ChunkRecord(0, 0, 0, "", 1, "").end());
    }

    @Test
    void negativeIndexesAndOffsetsAndBackwardSpansAreRefused() {
        assertEquals("bad chunk bounds: index -1, [0, 1)", assertThrows(IllegalArgumentException.class,
                () -> new ChunkRecord(-1, 0, 1, "x", 1, "")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ChunkRecord(0, -1, 1, "x", 1, ""));
        assertThrows(IllegalArgumentException.class, () -> new ChunkRecord(0, 5, 4, "x", 1, ""));
    }

    @Test
    void aTermNeedsAPositiveBoost() {
        assertEquals(0.5f, new WeightedTerm("words", "故宫", 0.5f).boost());
        assertThrows(IllegalArgumentException.class, () -> new WeightedTerm("words", "故宫", 0f));
        assertThrows(IllegalArgumentException.class, () -> new WeightedTerm("words", "故宫", Float.NaN));
    }

    @Test
    void onlyTheUnnamedCollectionIsTheDefault() {
        assertTrue(new CollectionRecord("", 0, 0, false).isDefault());
        assertEquals(false, new CollectionRecord("河流", 0, 0, true).isDefault());
    }
}
