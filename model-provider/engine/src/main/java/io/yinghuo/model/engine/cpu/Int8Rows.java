package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.util.Fp16;

import java.util.stream.IntStream;

/**
 * A dense [rows, cols] matrix (nn.Linear layout [N, K]) quantized at load to 8 bits with one float scale per
 * {@link #GROUP} columns of a row: w[n, k] ~ scale[n, k / GROUP] * q[n, k], q in [-127, 127], the scale being the
 * group's absolute maximum / 127 (symmetric round-to-nearest, as llama.cpp's Q8_0 but with groups of 128 rather
 * than 32, so the scales add 3 % to the bytes instead of 12.5 %).
 *
 * <p>Why: batch-1 decode streams every weight once per token, and an fp16 output head is a large share of that
 * (55,296 x 4,096 halves = 453 MB against ~410 MB of 4-bit layers on a 4-layer 7B-wide model). At 8 bits the head
 * costs half the bytes; the rounding error (at most half a step, 1/254 of the group maximum) moves a logit by far
 * less than the 0.05 log-probability the engine allows, which the fidelity tests measure.
 */
public final class Int8Rows {
    /** Columns sharing one scale. */
    public static final int GROUP = 128;

    private final int rows;
    private final int cols;
    private final int groupsPerRow;
    private final byte[] codes;
    private final float[] scales;

    private Int8Rows(int rows, int cols, byte[] codes, float[] scales) {
        this.rows = rows;
        this.cols = cols;
        this.groupsPerRow = (cols + GROUP - 1) / GROUP;
        this.codes = codes;
        this.scales = scales;
    }

    /** True when a matrix of this shape fits one byte array. */
    public static boolean fits(int rows, int cols) {
        return (long) rows * cols <= Integer.MAX_VALUE - 16;
    }

    /** Quantizes every row of a dense matrix (rows in parallel: a 7B head holds hundreds of millions of weights). */
    public static Int8Rows quantize(DenseRows m) {
        int n = m.rows();
        int k = m.cols();
        if (!fits(n, k)) {
            throw new IllegalArgumentException("matrix " + n + "x" + k + " is too large for one 8-bit array");
        }
        int groups = (k + GROUP - 1) / GROUP;
        byte[] codes = new byte[n * k];
        float[] scales = new float[n * groups];
        IntStream.range(0, (n + 63) / 64).parallel().forEach(block -> {
            float[] row = new float[k];
            short[] raw = m.dtype() == DType.F32 ? null : new short[k];
            for (int r = block * 64; r < Math.min(n, block * 64 + 64); r++) {
                readRow(m, r, row, raw);
                quantizeRow(row, codes, r * k, scales, r * groups);
            }
        });
        return new Int8Rows(n, k, codes, scales);
    }

    private static void readRow(DenseRows m, int r, float[] row, short[] raw) {
        if (raw == null) {
            m.copyRow(r, row, 0);
            return;
        }
        m.copyRow(r, raw, 0);
        for (int i = 0; i < row.length; i++) {
            row[i] = m.dtype() == DType.BF16 ? Fp16.bf16ToFloat(raw[i])
                    : Fp16.toFloat(raw[i]);
        }
    }

    /** Symmetric absmax quantization of one row, group by group. */
    static void quantizeRow(float[] row, byte[] codes, int codeOff, float[] scales, int scaleOff) {
        int k = row.length;
        for (int g = 0, c0 = 0; c0 < k; g++, c0 += GROUP) {
            int c1 = Math.min(k, c0 + GROUP);
            float max = 0f;
            for (int c = c0; c < c1; c++) {
                max = Math.max(max, Math.abs(row[c]));
            }
            float scale = max / 127f;
            float inv = max == 0f ? 0f : 127f / max;
            for (int c = c0; c < c1; c++) {
                codes[codeOff + c] = (byte) Math.round(row[c] * inv);
            }
            scales[scaleOff + g] = scale;
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int groupsPerRow() {
        return groupsPerRow;
    }

    /** Row-major codes, row r at r * cols. Do not modify. */
    public byte[] codes() {
        return codes;
    }

    /** Row-major scales, row r's group g at r * groupsPerRow + g. Do not modify. */
    public float[] scales() {
        return scales;
    }

    /** Bytes one matrix-vector product streams. */
    public long bytes() {
        return (long) codes.length + 4L * scales.length;
    }
}
