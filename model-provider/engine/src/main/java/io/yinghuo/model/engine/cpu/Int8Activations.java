package io.yinghuo.model.engine.cpu;

/**
 * The integer activations of the 4-bit GPTQ products ({@link ActivationMode#INT8X2}, {@link ActivationMode#INT8}).
 * The row is gathered through the act-order permutation and each block of {@link PackedGptq#ACTIVATION_BLOCK_ROWS}
 * sorted rows (never crossing a group) is quantized symmetrically, a_k = round(x_k / d_b) with
 * d_b = max_{k in b} |x_k| / 127, so |a_k| <= 127, as llama.cpp quantizes activations to Q8_0 (one scale per 32
 * values) for its integer dot products. INT8X2 also quantizes what that leaves, r_k = x_k - d_b a_k (|r_k| <= d_b/2),
 * with the scale d_b / 254: a'_k = round(r_k 254 / d_b), |a'_k| <= 127, so x_k = d_b a_k + (d_b / 254) a'_k within
 * d_b / 508 (about 15 bits for the block's largest value instead of 8). INT8 alone erred by 0.04-0.32 in
 * log-probability on the fidelity suite (limit 0.05); INT8X2 stays within it.
 *
 * <p>The product then runs in integers per block: with x^ the activations so quantized,
 * y_n = sum_g s_gn (sum_{b in g} [d_b sum_{k in b} a_k q_kn + (d_b / 254) sum_{k in b} a'_k q_kn] - z_gn sum_{k in g} x^_k),
 * the exact product of x^ with the weights; the last sum is the row's group sum.
 *
 * <p>Layout, matching the packed code words ({@link PackedGptq}: a word holds the codes of 8 consecutive sorted rows
 * r..r+7, row r+j at bits 4j): for every word row, four ints {@code (a[r+j] & 0xFFFF) | a[r+4+j] << 16}, j = 0..3.
 * Read as two 16-bit lanes, int j pairs with the two 16-bit halves of a code word: the low half holds rows r..r+3
 * (nibble j is row r+j), the high half rows r+4..r+7. A 16-bit multiply of nibble j by this pair therefore gives
 * row r+j's and row r+4+j's products in the two halves. Residuals are laid out the same way.
 */
public final class Int8Activations {
    /** The largest int8 activation magnitude: products with 4-bit codes stay within 127 * 15 = 1905. */
    public static final int MAX_CODE = 127;
    /** Residual steps per block step: |r| <= d/2 maps onto |a'| <= 127. */
    public static final int RESIDUAL_STEPS = 2 * MAX_CODE;

    private Int8Activations() {
    }

    /**
     * Gathers and quantizes x[xOff .. xOff + K) into row {@code row} of {@code in}; with {@code residuals} the
     * residuals too (INT8X2).
     */
    public static void gather(PackedGptq w, float[] x, int xOff, GptqInput in, int row, boolean residuals) {
        if (w.bits() != 4) {
            throw new IllegalArgumentException("int8 activations pair with 4-bit codes, not " + w.bits() + "-bit");
        }
        int[] perm = w.perm();
        int blockWords = w.blockWords();
        int per = w.codesPerWord();
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
                float d = max / MAX_CODE;
                float inv = max == 0f ? 0f : MAX_CODE / max;
                float d2 = d / RESIDUAL_STEPS;
                float inv2 = max == 0f ? 0f : RESIDUAL_STEPS / d;
                int sum = 0;
                int sum2 = 0;
                for (int r = r0; r < r1; r += 8) {
                    for (int j = 0; j < 4; j++) {
                        float vLo = value(x, xOff, perm[r + j]);
                        float vHi = value(x, xOff, perm[r + 4 + j]);
                        int lo = Math.round(vLo * inv);
                        int hi = Math.round(vHi * inv);
                        sum += lo + hi;
                        in.codes[codeBase + r / 2 + j] = pair(lo, hi);
                        if (residuals) {
                            int lo2 = residual(vLo, d, lo, inv2);
                            int hi2 = residual(vHi, d, hi, inv2);
                            sum2 += lo2 + hi2;
                            in.residuals[codeBase + r / 2 + j] = pair(lo2, hi2);
                        }
                    }
                }
                in.blockScales[block] = d;
                in.residualScales[block] = residuals ? d2 : 0f;
                groupSum += d * sum + (residuals ? d2 * sum2 : 0f);
            }
            in.groupSums[sumBase + g] = groupSum;
        }
    }

    private static int pair(int lo, int hi) {
        return (lo & 0xFFFF) | (hi << 16);
    }

    /** round((v - d a) / (d / 254)), clamped to the int8 range (float rounding could reach 127.5). */
    private static int residual(float v, float d, int a, float inv2) {
        int r = Math.round((v - d * a) * inv2);
        return Math.max(-MAX_CODE, Math.min(MAX_CODE, r));
    }

    private static float value(float[] x, int xOff, int src) {
        return src < 0 ? 0f : x[xOff + src];
    }

    /** Row {@code row}'s int8 value of sorted row r in {@code codes} (the activations or their residuals). */
    public static int code(PackedGptq w, int[] codes, int row, int r) {
        int word = codes[row * (w.paddedRows() / 2) + (r & ~7) / 2 + (r & 3)];
        return (r & 4) == 0 ? (short) word : word >> 16;
    }

    /**
     * The activations the integer products multiply, in checkpoint order: x^_k = d_b a_k (+ (d_b / 254) a'_k) for
     * row {@code row} of {@code in} (after {@link #gather}); an integer product equals the float product of these
     * with the weights up to float rounding.
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
                        out[w.perm()[r]] = (float) ((double) in.blockScales[block] * code(w, in.codes, row, r)
                                + (double) in.residualScales[block] * code(w, in.residuals, row, r));
                    }
                }
            }
        }
        return out;
    }
}
