package io.yinghuo.retrieval.index;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The chunk bounds a backend accepts: the first chunk at offset 0, an empty span, nothing before the document. */
class ChunkRecordTest {

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
}
