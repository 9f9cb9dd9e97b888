package io.yinghuo.model.engine.cpu;

/**
 * The int8 activations of the 4-bit GPTQ products: the row is gathered through the act-order permutation and each
 * block of {@link PackedGptq#ACTIVATION_BLOCK_ROWS} sorted rows (never crossing a group) is quantized symmetrically,
 * a_k = round(x_k / d_b) with d_b = max_{k in b} |x_k| / 127, so |a_k| <= 127, as llama.cpp quantizes activations
 * to Q8_0 (one scale per 32 values) before its integer dot products. The product then runs in integers per block:
 * y_n = sum_g s_gn (sum_{b in g} d_b sum_{k in b} a_k q_kn - z_gn sum_{b in g} d_b sum_{k in b} a_k), i.e. the exact
 * product of the dequantized activations d_b a_k with the weights; the second term is the row's group sum.
 *
 * <p>Layout, matching the packed code words ({@link PackedGptq}: a word holds the codes of 8 consecutive sorted rows
 * r..r+7, row r+j at bits 4j): for every word row, four ints {@code (a[r+j] & 0xFFFF) | a[r+4+j] << 16}, j = 0..3.
 * Read as two 16-bit lanes, int j pairs with the two 16-bit halves of a code word: the low half holds rows r..r+3
 * (nibble j is row r+j), the high half rows r+4..r+7. A 16-bit multiply of nibble j by this pair therefore gives
 * row r+j's and row r+4+j's products in the two halves.
 *
 * <p>A per-tensor scale (one d for the whole row) erred by 0.09 in log-probability on the fidelity suite, above its
 * 0.05 limit; blocks of 32 keep an outlier from coarsening more than its own block.
 */
public final class Int8Activations {
    /** The largest int8 activation magnitude: products with 4-bit codes stay within 127 * 15 = 1905. */
    public static final int MAX_CODE = 127;

    private Int8Activations() {
    }

    /** Gathers and quantizes x[xOff .. xOff + K) into row {@code row} of {@code in}. */
    public static void gather(PackedGptq w, float[] x, int xOff, GptqInput in, int row) {
        if (w.bits() != 4) {
            throw new IllegalArgumentException("int8 activations pair with 4-bit codes, not " + w.bits() + "-bit");
        }
        int[] perm = w.perm();
        int blockWords = w.blockWords();
        int per = w.codesPerWord();
        int[] codes = in.codes;
        int codeBase = row * (w.paddedRows() / 2);
        int block = row * w.activationBlocks();
        int sumBase = row * w.groups();
        for (int g = 0; g < w.groups(); g++) {
            int words = w.groupWords(g);
            float groupSum = 0f;
            for (int w0 = 0; w0 < words; w0 += blockWords, block++) {
                int r0 = w.groupFirstRow(g) + w0 * per;
                int r1 = r0 + Math.min(blockWords, words - w0) * per;
                float max = 0f;
                for (int r = r0; r < r1; r++) {
                    max = Math.max(max, Math.abs(value(x, xOff, perm[r])));
                }
                float inv = max == 0f ? 0f : MAX_CODE / max;
                int sum = 0;
                for (int r = r0; r < r1; r += 8) {
                    for (int j = 0; j < 4; j++) {
                        int lo = Math.round(value(x, xOff, perm[r + j]) * inv);
                        int hi = Math.round(value(x, xOff, perm[r + 4 + j]) * inv);
                        sum += lo + hi;
                        codes[codeBase + r / 2 + j] = (lo & 0xFFFF) | (hi << 16);
                    }
                }
                float d = max / MAX_CODE;
                in.blockScales[block] = d;
                groupSum += d * sum;
            }
            in.groupSums[sumBase + g] = groupSum;
        }
    }

    private static float value(float[] x, int xOff, int src) {
        return src < 0 ? 0f : x[xOff + src];
    }

    /** Row {@code row}'s int8 activation of sorted row r. */
    public static int code(PackedGptq w, GptqInput in, int row, int r) {
        int word = in.codes[row * (w.paddedRows() / 2) + (r & ~7) / 2 + (r & 3)];
        return (r & 4) == 0 ? (short) word : word >> 16;
    }

    /**
     * The activations the int8 products multiply, in checkpoint order: x^_k = d_b a_k for row {@code row} of
     * {@code in} (after {@link #gather}); an int8 product equals the float product of these with the weights up to
     * float rounding.
     */
    public static float[] dequantized(PackedGptq w, GptqInput in, int row) {
        float[] out = new float[w.inFeatures()];
        int per = w.codesPerWord();
        int block = row * w.activationBlocks();
        for (int g = 0; g < w.groups(); g++) {
            for (int w0 = 0; w0 < w.groupWords(g); w0 += w.blockWords(), block++) {
                int r0 = w.groupFirstRow(g) + w0 * per;
                int r1 = r0 + Math.min(w.blockWords(), w.groupWords(g) - w0) * per;
                for (int r = r0; r < r1; r++) {
                    if (w.perm()[r] >= 0) {
                        out[w.perm()[r]] = in.blockScales[block] * code(w, in, row, r);
                    }
                }
            }
        }
        return out;
    }
}
