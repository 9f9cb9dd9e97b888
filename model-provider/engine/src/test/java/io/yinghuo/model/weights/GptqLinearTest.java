package io.yinghuo.model.weights;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptqLinearTest {

    @Test
    void rowsPerGroupCountsActOrderRowsAndRefusesBadGroupIndexes() {
        // K = 8, group size 4: two groups, rows listed out of order as act-order checkpoints do.
        assertArrayEquals(new int[] {4, 4}, linear(new int[] {1, 0, 0, 1, 1, 0, 1, 0}).rowsPerGroup());
        assertArrayEquals(new int[] {5, 3}, linear(new int[] {0, 0, 0, 0, 0, 1, 1, 1}).rowsPerGroup());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> linear(new int[] {0, 0, 0, 0, 1, 1, 1, 2}).rowsPerGroup());
        assertTrue(outside.getMessage().contains("g_idx[7] = 2 is outside 0..1"), outside.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> linear(new int[] {0, 0, 0}).rowsPerGroup());
        assertTrue(length.getMessage().contains("g_idx has 3 entries for K=8"), length.getMessage());
    }

    private static GptqLinear linear(int[] gIdx) {
        return new GptqLinear(8, 4, 4, 4, null, null, null, gIdx, null, false, null);
    }
}
