package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.util.Fp16;

import java.util.Arrays;

import static io.yinghuo.model.engine.cpu.PackedGptq.TILE;

/**
 * Plain-Java kernels: the fallback when the Vector API is absent and the oracle the vector kernels are tested
 * against. Accumulation is in float, group by group, as in the vector kernels.
 */
public final class ScalarKernels implements CpuKernels {

    private final ActivationMode activations;

    /** Kernels with the default activations ({@link ActivationMode#INT8X2}). */
    public ScalarKernels() {
        this(ActivationMode.INT8X2);
    }

    public ScalarKernels(ActivationMode activations) {
        this.activations = activations;
    }

    @Override
    public String name() {
        return "scalar " + activations.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public ActivationMode activations() {
        return activations;
    }

    /** Whether w's products take integer activations with these kernels. */
    private boolean integer(PackedGptq w) {
        return activations.integer() && w.bits() == 4;
    }

    @Override
    public void gptqGather(PackedGptq w, float[] x, int xOff, GptqInput in, int row) {
        if (integer(w)) {
            Int8Activations.gather(w, x, xOff, in, row, activations == ActivationMode.INT8X2);
            return;
        }
        int[] perm = w.perm();
        int kp = w.paddedRows();
        for (int r = 0; r < perm.length; r++) {
            in.values[row * kp + r] = perm[r] < 0 ? 0f : x[xOff + perm[r]];
        }
        sumGroups(w, in.values, row * kp, in.groupSums, row * w.groups());
    }

    static void sumGroups(PackedGptq w, float[] xg, int xOff, float[] groupSums, int sumOff) {
        int per = w.codesPerWord();
        for (int g = 0; g < w.groups(); g++) {
            int first = xOff + w.groupFirstRow(g);
            int end = first + w.groupWords(g) * per;
            float s = 0f;
            for (int r = first; r < end; r++) {
                s += xg[r];
            }
            groupSums[sumOff + g] = s;
        }
    }

    @Override
    public void gptqGemv(PackedGptq w, GptqInput in, int row, float[] y, int yOff, int t0, int t1) {
        if (integer(w)) {
            gemvInt8(w, in, row, y, yOff, t0, t1, activations == ActivationMode.INT8X2);
            return;
        }
        int[] data = w.data();
        int bits = w.bits();
        int per = w.codesPerWord();
        int mask = (1 << bits) - 1;
        int n = w.outFeatures();
        float[] xg = in.values;
        int xOff = row * w.paddedRows();
        int sumOff = row * w.groups();
        for (int t = t0; t < t1; t++) {
            int cols = Math.min(TILE, n - t * TILE);
            int tileBase = t * w.tileStride();
            for (int c = 0; c < cols; c++) {
                float out = 0f;
                for (int g = 0; g < w.groups(); g++) {
                    int base = tileBase + w.groupOffset(g);
                    int header = data[base + c];
                    float scale = Fp16.toFloat((short) header);
                    int zero = header >>> 16;
                    int p = base + TILE + c;
                    int r = xOff + w.groupFirstRow(g);
                    float sum = 0f;
                    for (int wr = 0; wr < w.groupWords(g); wr++, p += TILE) {
                        int word = data[p];
                        for (int s = 0; s < per; s++) {
                            sum += xg[r++] * ((word >>> (bits * s)) & mask);
                        }
                    }
                    out += scale * (sum - zero * in.groupSums[sumOff + g]);
                }
                y[yOff + t * TILE + c] = out;
            }
        }
    }

    /**
     * The integer-activation 4-bit product, the oracle of the vector kernel's arithmetic: integer sums per
     * activation block, then per block f = fma(sum, d_b, f) (and f = fma(residual sum, d_b / 254, f)) and per group
     * out = fma(f - z * groupSum, s, out), the same float operations in the same order, so both give bit-identical
     * outputs.
     */
    private static void gemvInt8(PackedGptq w, GptqInput in, int row, float[] y, int yOff, int t0, int t1,
                                 boolean residuals) {
        int[] data = w.data();
        int n = w.outFeatures();
        int blockWords = w.blockWords();
        int codeOff = row * (w.paddedRows() / 2);
        for (int t = t0; t < t1; t++) {
            int cols = Math.min(TILE, n - t * TILE);
            int tileBase = t * w.tileStride();
            for (int c = 0; c < cols; c++) {
                float out = 0f;
                int block = row * w.activationBlocks();
                for (int g = 0; g < w.groups(); g++) {
                    int base = tileBase + w.groupOffset(g);
                    int header = data[base + c];
                    int p = base + TILE + c;
                    int pair = codeOff + w.groupFirstRow(g) / 2;
                    float f = 0f;
                    for (int w0 = 0; w0 < w.groupWords(g); w0 += blockWords, block++) {
                        int end = Math.min(w.groupWords(g), w0 + blockWords);
                        int sum = 0;
                        int sum2 = 0;
                        for (int wr = w0; wr < end; wr++, p += TILE, pair += 4) {
                            int word = data[p];
                            for (int j = 0; j < 4; j++) {
                                int lo = (word >>> (4 * j)) & 0xF;
                                int hi = (word >>> (4 * j + 16)) & 0xF;
                                int a = in.codes[pair + j];
                                int a2 = in.residuals[pair + j];
                                sum += (short) a * lo + (a >> 16) * hi;
                                sum2 += (short) a2 * lo + (a2 >> 16) * hi;
                            }
                        }
                        f = Math.fma((float) sum, in.blockScales[block], f);
                        if (residuals) {
                            f = Math.fma((float) sum2, in.residualScales[block], f);
                        }
                    }
                    float zeroSum = (header >>> 16) * in.groupSums[row * w.groups() + g];
                    out = Math.fma(f - zeroSum, Fp16.toFloat((short) header), out);
                }
                y[yOff + t * TILE + c] = out;
            }
        }
    }

    @Override
    public void gptqGemm(PackedGptq w, float[] xg, int rows, float[] y, int t0, int t1, KernelScratch scratch) {
        int[] data = w.data();
        int bits = w.bits();
        int per = w.codesPerWord();
        int mask = (1 << bits) - 1;
        int n = w.outFeatures();
        int kp = w.paddedRows();
        float[] tile = scratch.tile;
        float[] partial = scratch.partial;
        int chunkWords = GEMM_CHUNK_ROWS / per;
        for (int t = t0; t < t1; t++) {
            Arrays.fill(partial, 0, rows * TILE, 0f);
            int tileBase = t * w.tileStride();
            for (int g = 0; g < w.groups(); g++) {
                int base = tileBase + w.groupOffset(g);
                for (int w0 = 0; w0 < w.groupWords(g); w0 += chunkWords) {
                    int words = Math.min(chunkWords, w.groupWords(g) - w0);
                    // dequantize words x per rows of this tile: W = s * (q - z)
                    for (int c = 0; c < TILE; c++) {
                        int header = data[base + c];
                        float s = Fp16.toFloat((short) header);
                        int z = header >>> 16;
                        int p = base + TILE + w0 * TILE + c;
                        for (int wr = 0; wr < words; wr++, p += TILE) {
                            int word = data[p];
                            for (int sh = 0; sh < per; sh++) {
                                tile[(wr * per + sh) * TILE + c] = s * (((word >>> (bits * sh)) & mask) - z);
                            }
                        }
                    }
                    int row0 = w.groupFirstRow(g) + w0 * per;
                    int len = words * per;
                    for (int m = 0; m < rows; m++) {
                        int xo = m * kp + row0;
                        int po = m * TILE;
                        for (int r = 0; r < len; r++) {
                            float xv = xg[xo + r];
                            int to = r * TILE;
                            for (int c = 0; c < TILE; c++) {
                                partial[po + c] += xv * tile[to + c];
                            }
                        }
                    }
                }
            }
            int cols = Math.min(TILE, n - t * TILE);
            for (int m = 0; m < rows; m++) {
                System.arraycopy(partial, m * TILE, y, m * n + t * TILE, cols);
            }
        }
    }

    @Override
    public void denseGemv(DenseRows w, float[] x, float[] y, int r0, int r1, KernelScratch scratch) {
        int k = w.cols();
        for (int r = r0; r < r1; r++) {
            float[] row = scratch.floats;
            convertRow(w, r, row, 0, scratch);
            y[r] = dot(x, 0, row, 0, k);
        }
    }

    @Override
    public void denseGemm(DenseRows w, float[] x, int rows, float[] y, int r0, int r1, KernelScratch scratch) {
        int k = w.cols();
        int n = w.rows();
        float[] row = scratch.floats;
        for (int r = r0; r < r1; r++) {
            convertRow(w, r, row, 0, scratch);
            for (int m = 0; m < rows; m++) {
                y[m * n + r] = dot(x, m * k, row, 0, k);
            }
        }
    }

    /** Converts one full row into dst[off..off+cols) as floats. */
    static void convertRow(DenseRows w, int r, float[] dst, int off, KernelScratch scratch) {
        int k = w.cols();
        if (w.dtype() == DType.F32) {
            w.copyRow(r, dst, off);
            return;
        }
        short[] raw = scratch.halves;
        w.copyRow(r, raw, 0);
        if (w.dtype() == DType.F16) {
            for (int i = 0; i < k; i++) {
                dst[off + i] = Fp16.toFloat(raw[i]);
            }
        } else {
            for (int i = 0; i < k; i++) {
                dst[off + i] = Fp16.bf16ToFloat(raw[i]);
            }
        }
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    @Override
    public void dotHalfRows(float[] a, int ao, short[] b, int bo, int n, int count, float[] out, int oo) {
        for (int t = 0; t < count; t++) {
            float s = 0f;
            int row = bo + t * n;
            for (int i = 0; i < n; i++) {
                s += a[ao + i] * Fp16.toFloat(b[row + i]);
            }
            out[oo + t] = s;
        }
    }

    @Override
    public void weightedSumHalf(float[] p, int po, short[] b, int bo, int n, int count, float[] y, int yo) {
        Arrays.fill(y, yo, yo + n, 0f);
        for (int t = 0; t < count; t++) {
            float w = p[po + t];
            int row = bo + t * n;
            for (int i = 0; i < n; i++) {
                y[yo + i] += w * Fp16.toFloat(b[row + i]);
            }
        }
    }

    @Override
    public double expShifted(float[] s, int from, int n, float shift) {
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            float e = (float) Math.exp(s[i] - shift);
            s[i] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public void int8Gemv(Int8Rows w, float[] x, float[] y, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            y[r] = int8Dot(w, r, x, 0);
        }
    }

    @Override
    public void int8Gemm(Int8Rows w, float[] x, int rows, float[] y, int r0, int r1, KernelScratch scratch) {
        int k = w.cols();
        int n = w.rows();
        for (int r = r0; r < r1; r++) {
            for (int m = 0; m < rows; m++) {
                y[m * n + r] = int8Dot(w, r, x, m * k);
            }
        }
    }

    /** sum_g scale_g * sum_{k in g} q[r, k] x[xo + k]. */
    private static float int8Dot(Int8Rows w, int r, float[] x, int xo) {
        int k = w.cols();
        byte[] codes = w.codes();
        float[] scales = w.scales();
        int base = r * k;
        int sBase = r * w.groupsPerRow();
        float out = 0f;
        for (int g = 0, c0 = 0; c0 < k; g++, c0 += Int8Rows.GROUP) {
            int c1 = Math.min(k, c0 + Int8Rows.GROUP);
            float sum = 0f;
            for (int c = c0; c < c1; c++) {
                sum += codes[base + c] * x[xo + c];
            }
            out += scales[sBase + g] * sum;
        }
        return out;
    }
}
