package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.weights.ActOrder;
import io.yinghuo.model.weights.GptqLinear;
import io.yinghuo.model.weights.TransientGptqRead;

import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A GPTQ linear rearranged on the host, once at load, into the layout the CUDA kernels read (src/main/cuda/gptq.cuh).
 *
 * <p>Act-order follows ExLlamaV2's make_sequential ({@link ActOrder}, shared with the CPU's PackedGptq): the K rows
 * are stably sorted by g_idx, group then original row, so that every group is one contiguous run of rows and its scale
 * and zero are read once; each group is padded with zero codes to whole words, and K to a multiple of
 * {@link #ROW_ALIGN} rows (one GEMM step). Activations are gathered through {@link #perm()} on the device (padding rows
 * gather 0). Arrays, all row-major:
 * <pre>
 *   qweight   [words, N]   word w holds sorted rows w*per .. w*per+per-1, code j at bit bits*j (as in the file)
 *   meta      [groups, N]  fp16 scale bits | zero point &lt;&lt; 16 (v1 "+1" applied)
 *   wordGroup [words]      group of every word
 *   chunks    [c, 3]       first word, end word, group: GEMV work units, inside one group, at most
 *                          {@link #CHUNK_WORDS} words; padding words past the last group's rows are in none
 * </pre>
 * Columns stay in checkpoint order, so N must be a multiple of 4 (one 16-byte load covers four columns).
 */
final class GptqLayout {
    /** K rows per step of the GEMM kernel (TILE_K in gptq.cuh). */
    static final int ROW_ALIGN = 32;
    /** Longest GEMV work unit, in words. */
    static final int CHUNK_WORDS = 16;

    private final int inFeatures;
    private final int outFeatures;
    private final int bits;
    private final int groups;
    private final int[] perm;
    private final int[] qweight;
    private final int[] meta;
    private final int[] wordGroup;
    private final int[] chunks;
    private final float[] bias;
    private final boolean identity;

    private GptqLayout(int inFeatures, int outFeatures, int bits, int groups, int[] perm, int[] qweight, int[] meta,
                       int[] wordGroup, int[] chunks, float[] bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.bits = bits;
        this.groups = groups;
        this.perm = perm;
        this.qweight = qweight;
        this.meta = meta;
        this.wordGroup = wordGroup;
        this.chunks = chunks;
        this.bias = bias;
        boolean id = perm.length == inFeatures;
        for (int r = 0; id && r < perm.length; r++) {
            id = perm[r] == r;
        }
        this.identity = id;
    }

    /**
     * Rearranges a checkpoint linear. Its tensors are read through a short-lived mapping when the layer says where
     * they lie, like the CPU's PackedGptq, so the checkpoint's long-lived mappings never become resident.
     *
     * @throws IllegalArgumentException for bit widths other than 4 and 8, N not a multiple of 4, or a bad g_idx
     */
    static GptqLayout of(GptqLinear w) {
        return TransientGptqRead.build(w, GptqLayout::build);
    }

    private static GptqLayout build(GptqLinear w) {
        int bits = w.bits();
        if (bits != 4 && bits != 8) {
            throw new IllegalArgumentException("the CUDA backend handles 4 and 8-bit GPTQ, not " + bits
                    + "-bit (use --device cpu)");
        }
        int k = w.inFeatures();
        int n = w.outFeatures();
        if (n % 4 != 0) {
            throw new IllegalArgumentException("the CUDA GPTQ kernels need N divisible by 4, got " + k + "x" + n);
        }
        int groups = w.groups();
        int per = 32 / bits;
        int[] starts = ActOrder.groupStarts(w.rowsPerGroup(), per);
        int[] firstWord = new int[groups + 1];
        for (int g = 0; g <= groups; g++) {
            firstWord[g] = starts[g] / per;
        }
        int realWords = firstWord[groups];
        int wordAlign = ROW_ALIGN / per;
        int words = (realWords + wordAlign - 1) / wordAlign * wordAlign;
        int rows = words * per;
        if ((long) words * n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("GPTQ linear " + k + "x" + n + " is too large for one array");
        }
        int[] perm = ActOrder.permutation(w.gIdx(), starts, rows);
        int[] wordGroup = new int[words];
        for (int g = 0; g < groups; g++) {
            Arrays.fill(wordGroup, firstWord[g], firstWord[g + 1], g);
        }
        Arrays.fill(wordGroup, realWords, words, groups - 1);
        int chunkCount = 0;
        for (int g = 0; g < groups; g++) {
            chunkCount += (firstWord[g + 1] - firstWord[g] + CHUNK_WORDS - 1) / CHUNK_WORDS;
        }
        int[] chunks = new int[chunkCount * 3];
        int c = 0;
        for (int g = 0; g < groups; g++) {
            for (int w0 = firstWord[g]; w0 < firstWord[g + 1]; w0 += CHUNK_WORDS) {
                chunks[c++] = w0;
                chunks[c++] = Math.min(w0 + CHUNK_WORDS, firstWord[g + 1]);
                chunks[c++] = g;
            }
        }
        int[] qweight = new int[words * n];
        // 7B checkpoints hold billions of codes: word rows are independent, build them in parallel
        IntStream.range(0, realWords).parallel().forEach(wr -> packWordRow(w, wr, perm, qweight));
        int[] meta = new int[groups * n];
        for (int g = 0; g < groups; g++) {
            for (int col = 0; col < n; col++) {
                meta[g * n + col] = (w.scales().get(g * n + col) & 0xFFFF) | (w.zero(g, col) << 16);
            }
        }
        float[] bias = null;
        for (int col = 0; col < n && bias == null; col++) {
            if (w.bias(col) != 0f) {
                bias = new float[n];
                for (int j = 0; j < n; j++) {
                    bias[j] = w.bias(j);
                }
            }
        }
        return new GptqLayout(k, n, bits, groups, perm, qweight, meta, wordGroup, chunks, bias);
    }

    private static void packWordRow(GptqLinear w, int wr, int[] perm, int[] out) {
        int n = w.outFeatures();
        int bits = w.bits();
        int per = 32 / bits;
        int mask = w.mask();
        IntBuffer src = w.qweight();
        int first = wr * per;
        int orig0 = perm[first];
        boolean aligned = orig0 >= 0 && orig0 % per == 0;
        for (int s = 1; aligned && s < per; s++) {
            aligned = perm[first + s] == orig0 + s;
        }
        int base = wr * n;
        if (aligned) {
            int from = (orig0 / per) * n; // the checkpoint's word row as it is
            for (int col = 0; col < n; col++) {
                out[base + col] = src.get(from + col);
            }
            return;
        }
        for (int col = 0; col < n; col++) {
            int word = 0;
            for (int s = 0; s < per; s++) {
                int orig = perm[first + s];
                if (orig >= 0) {
                    int packed = src.get((orig / per) * n + col);
                    word |= ((packed >>> (bits * (orig % per))) & mask) << (bits * s);
                }
            }
            out[base + col] = word;
        }
    }

    int inFeatures() {
        return inFeatures;
    }

    int outFeatures() {
        return outFeatures;
    }

    int bits() {
        return bits;
    }

    int groups() {
        return groups;
    }

    int codesPerWord() {
        return 32 / bits;
    }

    /** K after sorting and padding: the length of a gathered activation row. */
    int paddedRows() {
        return perm.length;
    }

    int words() {
        return wordGroup.length;
    }

    int chunkCount() {
        return chunks.length / 3;
    }

    /** True when the rows need no gather (no act-order, K already a whole number of GEMM steps). */
    boolean identity() {
        return identity;
    }

    int[] perm() {
        return perm;
    }

    int[] qweight() {
        return qweight;
    }

    int[] meta() {
        return meta;
    }

    int[] wordGroup() {
        return wordGroup;
    }

    int[] chunks() {
        return chunks;
    }

    /** Null when every bias is 0. */
    float[] bias() {
        return bias;
    }

    /** The weight of sorted row r, column n, dequantized as the kernels do it: scale * (q - zero). */
    float weight(int r, int n) {
        int per = codesPerWord();
        int word = qweight[(r / per) * outFeatures + n];
        int code = (word >>> (bits * (r % per))) & ((1 << bits) - 1);
        int m = meta[wordGroup[r / per] * outFeatures + n];
        float scale = io.yinghuo.model.util.Fp16.toFloat((short) m);
        return scale * (code - (m >>> 16));
    }

    /**
     * The device bytes {@link #of} would produce for {@code w}, from its shape and g_idx alone (the memory check
     * runs before anything is built).
     */
    static long deviceBytes(GptqLinear w) {
        int per = 32 / w.bits();
        int groups = w.groups();
        int[] count = new int[groups];
        for (int g : w.gIdx()) {
            if (g >= 0 && g < groups) {
                count[g]++;
            }
        }
        long words = 0;
        long chunkCount = 0;
        for (int c : count) {
            int wg = (c + per - 1) / per;
            words += wg;
            chunkCount += (wg + CHUNK_WORDS - 1) / CHUNK_WORDS;
        }
        int wordAlign = ROW_ALIGN / per;
        words = (words + wordAlign - 1) / wordAlign * wordAlign;
        long n = w.outFeatures();
        boolean bias = false;
        for (int col = 0; col < n && !bias; col++) {
            bias = w.bias(col) != 0f;
        }
        return 4L * (words * per + words * n + groups * n + words + 3 * chunkCount) + (bias ? 4L * n : 0);
    }

    /** Device bytes of all arrays. */
    long deviceBytes() {
        return 4L * (perm.length + qweight.length + meta.length + wordGroup.length + chunks.length)
                + (bias == null ? 0 : 4L * bias.length);
    }
}
