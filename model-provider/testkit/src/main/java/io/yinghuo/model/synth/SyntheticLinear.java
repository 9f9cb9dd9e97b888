package io.yinghuo.model.synth;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.config.QuantConfig;
import io.yinghuo.model.synth.SafetensorsWriter.TensorOutput;
import io.yinghuo.model.util.Fp16;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * One synthetic linear layer W[k, n] (K inputs, N outputs) and its stored form: AutoGPTQ tensors (qweight, qzeros,
 * scales, g_idx, as AutoGPTQ's qlinear_cuda_old.py registers and packs them) or an unquantized HF weight [N, K].
 *
 * <p>The float weights are N(0, 1/K) (via {@link SyntheticValues}), the usual fan-in scaling that keeps activations at
 * unit size through the layer. Element (k, n) is generated from index n*K + k of the tensor's seed, so the quantized
 * and the unquantized checkpoint of one seed hold the same model up to quantization error.
 *
 * <p>Quantization follows AutoGPTQ's RTN quantizer (auto_gptq/quantization/quantizer.py, maxq = 2^bits - 1): per
 * group and output column, xmin/xmax widened to include 0; sym mirrors the range and uses zero = (maxq+1)/2; asym uses
 * scale = (xmax-xmin)/maxq, zero = round(-xmin/scale); code = clamp(round(w/scale) + zero, 0, maxq), with the scale
 * already rounded to fp16 as pack() uses it. Act-order: a random permutation of the K rows (standing in
 * for GPTQ's descending Hessian diagonal); groups are formed over the permuted order, g_idx[k] = position of k / G,
 * and qweight rows stay in the original order (auto_gptq/quantization/gptq.py {@code fasterquant} un-permutes before
 * saving).
 */
public final class SyntheticLinear {
    private final String prefix;
    private final int inFeatures;
    private final int outFeatures;
    private final float std;
    private final long weightSeed;
    private final long permSeed;
    private final QuantConfig quant;
    private final DType plainDtype;

    /** Columns per parallel task when finding group ranges. */
    private static final int COLUMN_BLOCK = 256;
    /** Elements generated per write chunk (a few MB of heap at most). */
    private static final int ROWS_PER_CHUNK_WORDS = 1 << 20;

    private QuantTables tables;
    private short[] retainedScales;

    private record QuantTables(int[] gIdx, short[] scaleBits, float[] scales, int[] zeros) {
    }

    SyntheticLinear(String prefix, int inFeatures, int outFeatures, float std, long seed, QuantConfig quant,
                    DType plainDtype) {
        this.prefix = prefix;
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.std = std;
        this.weightSeed = SyntheticValues.tensorSeed(seed, prefix + ".weight");
        this.permSeed = SyntheticValues.tensorSeed(seed, prefix + ".perm");
        this.quant = quant;
        this.plainDtype = plainDtype;
    }

    public String prefix() {
        return prefix;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    public boolean quantized() {
        return quant != null;
    }

    /** The weight before quantization or fp16/bf16 rounding. */
    public float original(int k, int n) {
        return std * SyntheticValues.normal(weightSeed, (long) n * inFeatures + k);
    }

    /** What a loaded {@code Linear.weight(k, n)} must return: the dequantized or the rounded stored value. */
    public float expectedWeight(int k, int n) {
        if (quant == null) {
            short stored = storedBits(k, n);
            return plainDtype == DType.BF16 ? Fp16.bf16ToFloat(stored) : Fp16.toFloat(stored);
        }
        int g = tables().gIdx[k];
        return Fp16.toFloat(scaleBits(g, n)) * (code(k, n) - zero(g, n));
    }

    // ---- GPTQ view ----

    public int bits() {
        return gptq().bits();
    }

    /** The effective group size (K when the config says -1). */
    public int groupSize() {
        return gptq().groupSize() == -1 ? inFeatures : gptq().groupSize();
    }

    private QuantConfig gptq() {
        if (quant == null) {
            throw new IllegalStateException(prefix + " is not quantized");
        }
        return quant;
    }

    public int groups() {
        return (inFeatures + groupSize() - 1) / groupSize();
    }

    public int[] gIdx() {
        return tables().gIdx.clone();
    }

    /** The true zero point of group g, column n (before v1's minus one). */
    public int zero(int g, int n) {
        return tables().zeros[g * outFeatures + n];
    }

    public short scaleBits(int g, int n) {
        return tables().scaleBits[g * outFeatures + n];
    }

    public int code(int k, int n) {
        QuantTables t = tables();
        int i = t.gIdx[k] * outFeatures + n;
        return code(original(k, n), t.scales[i], t.zeros[i]);
    }

    private int code(float w, float scale, int zero) {
        int maxq = (1 << quant.bits()) - 1;
        float q = scale == 0f ? 0f : (float) Math.rint(w / scale);
        return (int) Math.max(0, Math.min(maxq, q + zero));
    }

    /**
     * qweight[row, n]: codes of rows k = row*(32/bits) + s at bit offset bits*s, s = 0 in the low bits (AutoGPTQ
     * qlinear_cuda_old.py {@code pack()}).
     */
    public int qweightWord(int row, int n) {
        QuantTables t = tables();
        int bits = quant.bits();
        int per = 32 / bits;
        int word = 0;
        for (int s = 0; s < per; s++) {
            int k = row * per + s;
            int i = t.gIdx[k] * outFeatures + n;
            word |= code(original(k, n), t.scales[i], t.zeros[i]) << (bits * s);
        }
        return word;
    }

    /** qzeros[g, col]: zeros of columns n = col*(32/bits) + s; v1 stores zero - 1. */
    public int qzerosWord(int g, int col) {
        QuantTables t = tables();
        int bits = quant.bits();
        int per = 32 / bits;
        int offset = quant.zerosStoredMinusOne() ? 1 : 0;
        int word = 0;
        for (int s = 0; s < per; s++) {
            word |= (t.zeros[g * outFeatures + col * per + s] - offset) << (bits * s);
        }
        return word;
    }

    /** Drops the quantization tables (rebuilt on demand) to bound memory while writing a large model. */
    synchronized void releaseTables() {
        tables = null;
        retainedScales = null;
    }

    /**
     * Keeps only the fp16 scales (2 bytes per group and column) until {@link #writeScales}: the writer emits scales
     * long after qweight/qzeros, and keeping them is cheaper than a second pass over the weights.
     */
    synchronized void retainScalesOnly() {
        if (tables != null) {
            retainedScales = tables.scaleBits;
        }
        tables = null;
    }

    private synchronized QuantTables tables() {
        gptq();
        if (tables == null) {
            tables = quantize();
        }
        return tables;
    }

    private QuantTables quantize() {
        int k = inFeatures;
        int n = outFeatures;
        int g = groupSize();
        int groups = groups();
        int[] gIdx = new int[k];
        if (quant.descAct()) {
            int[] perm = new int[k]; // perm[position] = row
            for (int i = 0; i < k; i++) {
                perm[i] = i;
            }
            SplittableRandom random = new SplittableRandom(permSeed);
            for (int i = k - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            for (int pos = 0; pos < k; pos++) {
                gIdx[perm[pos]] = pos / g;
            }
        } else {
            for (int i = 0; i < k; i++) {
                gIdx[i] = i / g;
            }
        }
        float[] min = new float[groups * n];
        float[] max = new float[groups * n];
        // xmin = min(group, 0), xmax = max(group, 0): zero-filled arrays already include 0. Column blocks run in
        // parallel; each touches only its own columns of min/max.
        Parallel.forBlocks(n, COLUMN_BLOCK, (from, to) -> {
            for (int row = 0; row < k; row++) {
                int base = gIdx[row] * n;
                for (int col = from; col < to; col++) {
                    float w = original(row, col);
                    if (w < min[base + col]) {
                        min[base + col] = w;
                    } else if (w > max[base + col]) {
                        max[base + col] = w;
                    }
                }
            }
        });
        int maxq = (1 << quant.bits()) - 1;
        short[] scaleBits = new short[groups * n];
        float[] scales = new float[groups * n];
        int[] zeros = new int[groups * n];
        for (int i = 0; i < groups * n; i++) {
            float xmin = min[i];
            float xmax = max[i];
            if (quant.sym()) {
                xmax = Math.max(-xmin, xmax);
                if (xmin < 0) {
                    xmin = -xmax;
                }
            }
            if (xmin == 0 && xmax == 0) {
                xmin = -1;
                xmax = 1;
            }
            float scale = (xmax - xmin) / maxq;
            int zero = quant.sym() ? (maxq + 1) / 2 : (int) Math.rint(-xmin / scale);
            if (!quant.sym() && quant.zerosStoredMinusOne() && zero == 0) {
                // v1 stores zero - 1: AutoGPTQ's pack() ORs -1 (all bits set) into the word and corrupts the
                // neighbouring columns' zeros. Zero 1 costs one code at the bottom of a group with no negative weights.
                zero = 1;
            }
            scaleBits[i] = Fp16.fromFloat(scale);
            scales[i] = Fp16.toFloat(scaleBits[i]);
            zeros[i] = zero;
        }
        return new QuantTables(gIdx, scaleBits, scales, zeros);
    }

    // ---- plain view ----

    /** The stored fp16/bf16 bits of W[k, n] in an unquantized checkpoint. */
    public short storedBits(int k, int n) {
        float w = original(k, n);
        return plainDtype == DType.BF16 ? Fp16.floatToBf16(w) : Fp16.fromFloat(w);
    }

    // ---- writing ----

    void writeQweight(TensorOutput out) throws IOException {
        QuantTables t = tables();
        int bits = quant.bits();
        int per = 32 / bits;
        int rows = inFeatures / per;
        int blockRows = Math.max(1, ROWS_PER_CHUNK_WORDS / outFeatures);
        int[] words = new int[blockRows * outFeatures];
        for (int first = 0; first < rows; first += blockRows) {
            int r0 = first;
            int count = Math.min(blockRows, rows - first);
            Parallel.forBlocks(count, 1, (from, to) -> {
                for (int r = from; r < to; r++) {
                    for (int n = 0; n < outFeatures; n++) {
                        int word = 0;
                        for (int s = 0; s < per; s++) {
                            int k = (r0 + r) * per + s;
                            int i = t.gIdx[k] * outFeatures + n;
                            word |= code(original(k, n), t.scales[i], t.zeros[i]) << (bits * s);
                        }
                        words[r * outFeatures + n] = word;
                    }
                }
            });
            out.putInts(words, 0, count * outFeatures);
        }
    }

    void writeQzeros(TensorOutput out) throws IOException {
        int cols = outFeatures / (32 / quant.bits());
        for (int g = 0; g < groups(); g++) {
            for (int c = 0; c < cols; c++) {
                out.putInt(qzerosWord(g, c));
            }
        }
    }

    void writeScales(TensorOutput out) throws IOException {
        short[] scales;
        synchronized (this) {
            scales = retainedScales != null ? retainedScales : tables().scaleBits;
        }
        out.putShorts(scales, 0, groups() * outFeatures);
    }

    void writeGIdx(TensorOutput out) throws IOException {
        out.putInts(tables().gIdx, 0, inFeatures);
    }

    /** HF nn.Linear layout [N, K], row-major. */
    void writePlain(TensorOutput out) throws IOException {
        int blockRows = Math.max(1, ROWS_PER_CHUNK_WORDS / inFeatures);
        short[] values = new short[blockRows * inFeatures];
        for (int first = 0; first < outFeatures; first += blockRows) {
            int n0 = first;
            int count = Math.min(blockRows, outFeatures - first);
            Parallel.forBlocks(count, 1, (from, to) -> {
                for (int r = from; r < to; r++) {
                    for (int k = 0; k < inFeatures; k++) {
                        values[r * inFeatures + k] = storedBits(k, n0 + r);
                    }
                }
            });
            out.putShorts(values, 0, count * inFeatures);
        }
    }
}
