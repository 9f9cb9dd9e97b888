package io.yinghuo.model.weights;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shared act-order sort against a plain stable sort of the row indices by g_idx. */
class ActOrderTest {

    @Test
    void randomGIdxSortsLikeAStableSortByGroup() {
        Random random = new Random(20240613);
        for (int trial = 0; trial < 200; trial++) {
            int groups = 1 + random.nextInt(12);
            int k = random.nextInt(300);
            int align = new int[] {1, 4, 8, 16, 32}[random.nextInt(5)];
            int[] gIdx = new int[k];
            int[] count = new int[groups];
            for (int r = 0; r < k; r++) {
                gIdx[r] = random.nextInt(groups);
                count[gIdx[r]]++;
            }
            int[] starts = ActOrder.groupStarts(count, align);
            int extra = random.nextInt(3) * align;
            int[] perm = ActOrder.permutation(gIdx, starts, starts[groups] + extra);

            List<Integer> reference = new ArrayList<>();
            for (int r = 0; r < k; r++) {
                reference.add(r);
            }
            reference.sort(Comparator.comparingInt(r -> gIdx[r])); // List.sort is stable
            int[] expected = new int[starts[groups] + extra];
            Arrays.fill(expected, -1);
            int next = 0;
            int expectedStart = 0;
            for (int g = 0; g < groups; g++) {
                assertEquals(expectedStart, starts[g], "start of group " + g);
                for (int i = 0; i < count[g]; i++) {
                    expected[expectedStart + i] = reference.get(next++);
                }
                expectedStart += (count[g] + align - 1) / align * align;
            }
            assertEquals(expectedStart, starts[groups], "padded K");
            assertArrayEquals(expected, perm, "trial " + trial + ": K=" + k + ", " + groups + " groups, align "
                    + align);
        }
    }

    @Test
    void monotonicGIdxWithWholeWordGroupsIsTheIdentity() {
        int[] gIdx = new int[64];
        for (int r = 0; r < gIdx.length; r++) {
            gIdx[r] = r / 16;
        }
        int[] starts = ActOrder.groupStarts(new int[] {16, 16, 16, 16}, 8);
        assertArrayEquals(new int[] {0, 16, 32, 48, 64}, starts);
        int[] perm = ActOrder.permutation(gIdx, starts, 64);
        for (int r = 0; r < 64; r++) {
            assertEquals(r, perm[r]);
        }
    }
}
