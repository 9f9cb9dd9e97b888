package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.weights.GptqLinear;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host half of the GPU's GPTQ path, checked without a GPU: the act-order sort, padding, chunking and the
 * arithmetic the kernels apply to that layout, against the checkpoint's own dequantization
 * ({@link GptqLinear#weight}, what the CPU backend and the float64 reference use).
 */
class GptqLayoutTest {

    static Stream<Arguments> linears() {
        return Stream.of(
                Arguments.of("4-bit g32 in order v1", 128, 64, 4, 32, false, true),
                Arguments.of("4-bit g32 act-order v1", 128, 64, 4, 32, true, true),
                Arguments.of("8-bit g64 act-order v2", 192, 40, 8, 64, true, false),
                Arguments.of("4-bit one group act-order (K=96, padded to 128 rows)", 96, 48, 4, -1, true, true),
                Arguments.of("8-bit g128, K=96: one partial group", 96, 36, 8, 128, false, true),
                Arguments.of("4-bit g20: groups end inside words", 120, 24, 4, 20, true, false),
                Arguments.of("8-bit g256 over K=1000: chunks split groups", 1000, 16, 8, 256, true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linears")
    void layoutDequantizesToTheCheckpointWeights(String name, int k, int n, int bits, int group, boolean actOrder,
                                                 boolean v1) {
        GptqLinear w = RandomLlama.gptq(new Random(k * 31L + n), k, n, bits, group, actOrder, v1);
        GptqLayout layout = GptqLayout.of(w);
        assertEquals(GptqLayout.deviceBytes(w), layout.deviceBytes(), "size estimate before building");
        int per = 32 / bits;
        assertEquals(0, layout.paddedRows() % GptqLayout.ROW_ALIGN, "K padded to whole GEMM steps");
        assertEquals(layout.words() * per, layout.paddedRows());

        int[] perm = layout.perm();
        boolean[] seen = new boolean[k];
        int previousGroup = -1;
        for (int r = 0; r < perm.length; r++) {
            int g = layout.wordGroup()[r / per];
            assertTrue(g >= previousGroup, "groups ascend along the sorted rows");
            previousGroup = g;
            if (perm[r] < 0) {
                for (int c = 0; c < n; c++) {
                    assertEquals(0f, codeOf(layout, r, c), "padding row " + r + " has code 0");
                }
                continue;
            }
            int orig = perm[r];
            assertFalse(seen[orig], "row " + orig + " appears twice");
            seen[orig] = true;
            assertEquals(w.gIdx()[orig], g, "sorted row " + r + " (row " + orig + ") sits in its g_idx group");
            for (int c = 0; c < n; c++) {
                assertEquals(w.weight(orig, c), layout.weight(r, c), name + " W[" + orig + "," + c + "]");
            }
        }
        for (int r = 0; r < k; r++) {
            assertTrue(seen[r], "row " + r + " is missing from the layout");
        }
        assertEquals(!w.actOrder() && k % GptqLayout.ROW_ALIGN == 0 && (group < 0 ? k : group) % per == 0,
                layout.identity(), "identity (no gather needed)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linears")
    void chunksCoverEveryGroupOnce(String name, int k, int n, int bits, int group, boolean actOrder, boolean v1) {
        GptqLinear w = RandomLlama.gptq(new Random(7), k, n, bits, group, actOrder, v1);
        GptqLayout layout = GptqLayout.of(w);
        int[] chunks = layout.chunks();
        int[] covered = new int[layout.words()];
        for (int c = 0; c < layout.chunkCount(); c++) {
            int w0 = chunks[3 * c];
            int w1 = chunks[3 * c + 1];
            int g = chunks[3 * c + 2];
            assertTrue(w1 > w0 && w1 - w0 <= GptqLayout.CHUNK_WORDS,
                    "chunk " + c + " is 1.." + GptqLayout.CHUNK_WORDS + " words");
            for (int wr = w0; wr < w1; wr++) {
                covered[wr]++;
                assertEquals(g, layout.wordGroup()[wr], "chunk " + c + " stays inside group " + g);
            }
        }
        int per = 32 / bits;
        for (int wr = 0; wr < layout.words(); wr++) {
            boolean real = false;
            for (int s = 0; s < per; s++) {
                real |= layout.perm()[wr * per + s] >= 0;
            }
            assertEquals(real ? 1 : 0, covered[wr], "word " + wr + " is in exactly one chunk iff it has real rows");
        }
    }

    /** CudaKernelsTest's real projection shapes lay out on the host (no GPU), so a GPU run cannot die in setup. */
    @ParameterizedTest(name = "{0}-bit K={1} N={2} g{3} act-order {4}")
    @MethodSource("io.yinghuo.model.engine.cuda.CudaKernelsTest#realProjectionShapes")
    void realProjectionShapesLayOutOnTheHost(int bits, int k, int n, int group, boolean actOrder) {
        chunksCoverEveryGroupOnce("real projection", k, n, bits, group, actOrder, true);
    }

    /**
     * What gptq_gemv computes on this layout (per chunk: sum x q, then scale * (sum - zero * sum x), in float)
     * agrees with y = x . W from the checkpoint's weights, so the chunked formula and the gather are right.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("linears")
    void kernelArithmeticOnTheLayoutMatchesTheReferenceProduct(String name, int k, int n, int bits, int group,
                                                                boolean actOrder, boolean v1) {
        GptqLinear w = RandomLlama.gptq(new Random(3), k, n, bits, group, actOrder, v1);
        GptqLayout layout = GptqLayout.of(w);
        Random r = new Random(5);
        float[] x = new float[k];
        for (int i = 0; i < k; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] xg = new float[layout.paddedRows()];
        for (int i = 0; i < xg.length; i++) {
            xg[i] = layout.perm()[i] < 0 ? 0f : x[layout.perm()[i]];
        }
        int per = 32 / bits;
        int mask = (1 << bits) - 1;
        for (int c = 0; c < n; c++) {
            float acc = 0f;
            for (int ch = 0; ch < layout.chunkCount(); ch++) {
                int w0 = layout.chunks()[3 * ch];
                int w1 = layout.chunks()[3 * ch + 1];
                int g = layout.chunks()[3 * ch + 2];
                float s = 0f;
                float xs = 0f;
                for (int wr = w0; wr < w1; wr++) {
                    int word = layout.qweight()[wr * n + c];
                    for (int j = 0; j < per; j++) {
                        float xj = xg[wr * per + j];
                        xs += xj;
                        s += xj * ((word >>> (bits * j)) & mask);
                    }
                }
                int meta = layout.meta()[g * n + c];
                acc += io.yinghuo.model.util.Fp16.toFloat((short) meta) * (s - (meta >>> 16) * xs);
            }
            double expected = 0;
            double magnitude = 0;
            for (int i = 0; i < k; i++) {
                expected += (double) x[i] * w.weight(i, c);
                magnitude += Math.abs((double) x[i] * w.weight(i, c));
            }
            assertEquals(expected, acc, 1e-5 * magnitude + 1e-6, name + " column " + c);
        }
    }

    @Test
    void refusesWidthsTheKernelsDoNotHave() {
        GptqLinear twoBit = RandomLlama.gptq(new Random(1), 64, 32, 2, 32, false, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GptqLayout.of(twoBit));
        assertTrue(e.getMessage().contains("4 and 8-bit"), e.getMessage());
    }

    @Test
    void splitsCoverTheGpuButNeverExceedTheChunks() {
        // 7B q_proj, 4-bit g128: 32 chunks, 32 column blocks on a 132-SM GPU
        assertEquals(4, DeviceLinear.Gptq.gemvSplits(4096, 32, 132));
        // lm_head-sized N: the columns alone fill the GPU
        assertEquals(1, DeviceLinear.Gptq.gemvSplits(55296, 32, 132));
        // one chunk: one split
        assertEquals(1, DeviceLinear.Gptq.gemvSplits(64, 1, 132));
        // down_proj K=11008 g128: 86 chunks allow at most 11 splits
        assertEquals(9, DeviceLinear.Gptq.gemvSplits(4096, 86, 132));
    }

    private static float codeOf(GptqLayout layout, int r, int c) {
        int per = layout.codesPerWord();
        int word = layout.qweight()[(r / per) * layout.outFeatures() + c];
        return (word >>> (layout.bits() * (r % per))) & ((1 << layout.bits()) - 1);
    }
}
