package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.engine.rope.RopeAngles;
import io.yinghuo.model.engine.rope.RotaryEmbedding;
import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.util.Fp16;
import io.yinghuo.model.weights.DenseLinear;
import io.yinghuo.model.weights.DenseMatrix;
import io.yinghuo.model.weights.GptqLinear;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every kernel against a host reference on fresh random inputs of several shapes (skipped without a GPU). Outputs
 * are poisoned with NaN first, so an element a kernel fails to write fails the test. Products are compared with a
 * bound relative to the sum of |terms| (fp32 accumulation in a different order: 1e-4 of it is far above rounding
 * and far below any indexing mistake); fp16 results within one half ulp.
 */
class CudaKernelsTest {
    private final Random random = new Random(20240611);

    static Stream<Arguments> gptqShapes() {
        return Stream.of(
                Arguments.of(4, 128, 64, 32, false, true),
                Arguments.of(4, 256, 96, 64, true, true),
                Arguments.of(8, 192, 40, 64, true, false),
                Arguments.of(4, 96, 48, -1, true, true),
                Arguments.of(8, 1000, 16, 256, true, true),
                Arguments.of(4, 1024, 512, 128, true, true)); // several chunks per thread row, splits > 1
    }

    @ParameterizedTest(name = "{0}-bit K={1} N={2} g{3} act-order {4}")
    @MethodSource("gptqShapes")
    void gptqGemvAndGemmMatchTheCheckpointWeights(int bits, int k, int n, int group, boolean actOrder, boolean v1) {
        GptqLinear w = RandomLlama.gptq(new Random(k + n), k, n, bits, group, actOrder, v1);
        float[] bias = new float[n];
        for (int i = 0; i < n; i++) {
            bias[i] = (float) random.nextGaussian();
        }
        GptqLinear withBias = new GptqLinear(w.inFeatures(), w.outFeatures(), w.bits(), w.groupSize(), w.qweight(),
                w.qzeros(), w.scales(), w.gIdx(), bias, w.zerosStoredMinusOne(), null);
        try (Gpu gpu = new Gpu()) {
            for (int splitsSms : new int[] {1, gpu.device.multiprocessors, 1000}) {
                DeviceLinear.Gptq d = new DeviceLinear.Gptq(GptqLayout.of(withBias), gpu.memory, splitsSms);
                for (int rows : new int[] {1, 2, 17, 70}) {
                    float[] x = gaussian(rows * k);
                    float[] start = gaussian(rows * n);
                    for (boolean accumulate : new boolean[] {false, true}) {
                        CUdeviceptr xd = gpu.floats(x);
                        CUdeviceptr y = accumulate ? gpu.floats(start) : gpu.poisoned((long) rows * n);
                        CUdeviceptr gather = gpu.poisoned(Math.max(1, (long) rows * d.gatherFloatsPerRow()));
                        CUdeviceptr partial = gpu.poisoned(Math.max(1, d.partialFloats()));
                        d.run(gpu.k, xd, rows, y, accumulate, gather, partial);
                        float[] got = gpu.download(y, rows * n);
                        for (int m = 0; m < rows; m++) {
                            for (int c = 0; c < n; c++) {
                                double e = bias[c] + (accumulate ? start[m * n + c] : 0);
                                double mag = Math.abs(e);
                                for (int i = 0; i < k; i++) {
                                    double t = (double) x[m * k + i] * withBias.weight(i, c);
                                    e += t;
                                    mag += Math.abs(t);
                                }
                                assertClose(e, got[m * n + c], mag, "rows " + rows + " splits " + d.splits
                                        + " acc " + accumulate + " y[" + m + "," + c + "]");
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The projections of the real models, where index overflow, grid limits and tails show and small shapes hide them:
     * LLaMA-2 7B's MLP up/gate (K 4096 -> N 11008) and down (K 11008 -> N 4096) at group 128 with and without
     * act-order, and a tail shape whose K and N are no multiple of the 32-row word block or the 64-column tile.
     */
    static Stream<Arguments> realProjectionShapes() {
        return Stream.of(
                Arguments.of(4, 4096, 11008, 128, false),
                Arguments.of(4, 4096, 11008, 128, true),
                Arguments.of(4, 11008, 4096, 128, true),
                Arguments.of(8, 4136, 4100, 128, true));
    }

    @ParameterizedTest(name = "{0}-bit K={1} N={2} g{3} act-order {4}")
    @MethodSource("realProjectionShapes")
    void gptqKernelsOnRealProjectionShapes(int bits, int k, int n, int group, boolean actOrder) {
        try (Gpu gpu = new Gpu()) {
            GptqLinear w = RandomLlama.gptq(new Random(k + n), k, n, bits, group, actOrder, true);
            float[] columns = new float[k * n]; // dequantized once, column-major: the reference reads each column
            for (int i = 0; i < k; i++) {
                for (int c = 0; c < n; c++) {
                    columns[c * k + i] = (float) w.weight(i, c);
                }
            }
            DeviceLinear.Gptq d = new DeviceLinear.Gptq(GptqLayout.of(w), gpu.memory, gpu.device.multiprocessors);
            for (int rows : new int[] {1, 33}) { // decode (GEMV) and a prefill chunk with a partial tile (GEMM)
                float[] x = gaussian(rows * k);
                CUdeviceptr y = gpu.poisoned((long) rows * n);
                CUdeviceptr gather = gpu.poisoned(Math.max(1, (long) rows * d.gatherFloatsPerRow()));
                d.run(gpu.k, gpu.floats(x), rows, y, false, gather, gpu.poisoned(Math.max(1, d.partialFloats())));
                assertProduct(x, rows, k, n, (i, c) -> columns[c * k + i], gpu.download(y, rows * n), "");
            }
        }
    }

    @ParameterizedTest(name = "{0} K={1} N={2}")
    @MethodSource("denseShapes")
    void denseGemvAndGemmMatchTheMatrix(DType type, int k, int n) {
        DenseLinear w = RandomLlama.dense(new Random(k * n), k, n, type);
        try (Gpu gpu = new Gpu()) {
            DeviceLinear.Dense d = new DeviceLinear.Dense(w, gpu.memory);
            for (int rows : new int[] {1, 3, 65}) {
                float[] x = gaussian(rows * k);
                CUdeviceptr y = gpu.poisoned((long) rows * n);
                d.run(gpu.k, gpu.floats(x), rows, y, false, CudaKernels.NULL, CudaKernels.NULL);
                assertProduct(x, rows, k, n, w::weight, gpu.download(y, rows * n), type + " ");
            }
        }
    }

    static Stream<Arguments> denseShapes() {
        return Stream.of(Arguments.of(DType.F16, 64, 50), Arguments.of(DType.BF16, 128, 96),
                Arguments.of(DType.F32, 96, 33), Arguments.of(DType.F16, 30, 70), Arguments.of(DType.F16, 512, 200));
    }

    @Test
    void embeddingRowsConvertEveryElementType() {
        try (Gpu gpu = new Gpu()) {
            for (DType type : new DType[] {DType.F16, DType.BF16, DType.F32}) {
                DenseMatrix table = RandomLlama.denseMatrix(random, 40, 72, type, 1f);
                int[] tokens = {3, 0, 39, 3, 17};
                CUdeviceptr x = gpu.poisoned(tokens.length * 72L);
                gpu.k.embed(type, gpu.bytes(table.data(), table.storageBytes()), gpu.ints(tokens), x, tokens.length,
                        72);
                float[] got = gpu.download(x, tokens.length * 72);
                for (int m = 0; m < tokens.length; m++) {
                    for (int i = 0; i < 72; i++) {
                        assertEquals(table.get(tokens[m], i), got[m * 72 + i], type + " row " + m + " col " + i);
                    }
                }
            }
        }
    }

    @Test
    void rmsNormMatchesTheCpuFormula() {
        try (Gpu gpu = new Gpu()) {
            for (int hidden : new int[] {64, 100, 4096}) {
                int rows = 3;
                float[] x = gaussian(rows * hidden);
                float[] w = gaussian(hidden);
                CUdeviceptr out = gpu.poisoned((long) rows * hidden);
                gpu.k.rmsNorm(gpu.floats(x), gpu.floats(w), out, rows, hidden, 1e-5);
                float[] got = gpu.download(out, rows * hidden);
                for (int m = 0; m < rows; m++) {
                    double ss = 0;
                    for (int i = 0; i < hidden; i++) {
                        float a = x[m * hidden + i];
                        ss += a * a;
                    }
                    float inv = (float) (1.0 / Math.sqrt(ss / hidden + 1e-5));
                    for (int i = 0; i < hidden; i++) {
                        float e = w[i] * (x[m * hidden + i] * inv);
                        assertEquals(e, got[m * hidden + i], 1e-6f * Math.abs(e) + 1e-7f, "row " + m + " " + i);
                    }
                }
            }
        }
    }

    @Test
    void ropeStoreRotatesQueriesAndCachesKeysAndValuesAsHalves() {
        LlamaConfig config = new LlamaConfig(128, 256, 1, 4, 2, 10, 1e-5, 10000.0, 64, null, 1, 2, false);
        RopeAngles angles = new RotaryEmbedding(config, null).angles(40);
        int heads = 4;
        int kvHeads = 2;
        int d = 32;
        int half = d / 2;
        int rows = 5;
        int pos0 = 7;
        int capacity = 16;
        float[] q = gaussian(rows * heads * d);
        float[] kk = gaussian(rows * kvHeads * d);
        float[] v = gaussian(rows * kvHeads * d);
        float[] cos = new float[rows * half];
        float[] sin = new float[rows * half];
        float[] c = new float[half];
        float[] s = new float[half];
        for (int m = 0; m < rows; m++) {
            angles.cosSin(pos0 + m, c, s);
            System.arraycopy(c, 0, cos, m * half, half);
            System.arraycopy(s, 0, sin, m * half, half);
        }
        try (Gpu gpu = new Gpu()) {
            CUdeviceptr qd = gpu.floats(q);
            CUdeviceptr kc = gpu.poisonedHalves((long) capacity * kvHeads * d);
            CUdeviceptr vc = gpu.poisonedHalves((long) capacity * kvHeads * d);
            gpu.k.ropeStore(qd, gpu.floats(kk), gpu.floats(v), gpu.floats(cos), gpu.floats(sin), kc, vc, rows, heads,
                    kvHeads, d, pos0);
            float[] gotQ = gpu.download(qd, q.length);
            short[] gotK = gpu.downloadHalves(kc, capacity * kvHeads * d);
            short[] gotV = gpu.downloadHalves(vc, capacity * kvHeads * d);
            for (int m = 0; m < rows; m++) {
                System.arraycopy(cos, m * half, c, 0, half);
                System.arraycopy(sin, m * half, s, 0, half);
                for (int h = 0; h < heads; h++) {
                    RopeAngles.rotateHalf(q, m * heads * d + h * d, c, s, half);
                }
                for (int h = 0; h < kvHeads; h++) {
                    RopeAngles.rotateHalf(kk, m * kvHeads * d + h * d, c, s, half);
                }
            }
            for (int i = 0; i < q.length; i++) {
                assertEquals(q[i], gotQ[i], 1e-6f * (1 + Math.abs(q[i])), "q " + i);
            }
            for (int m = 0; m < rows; m++) {
                for (int i = 0; i < kvHeads * d; i++) {
                    int at = (pos0 + m) * kvHeads * d + i;
                    assertHalf(kk[m * kvHeads * d + i], gotK[at], "key row " + m + " " + i);
                    assertHalf(v[m * kvHeads * d + i], gotV[at], "value row " + m + " " + i);
                }
            }
        }
    }

    @Test
    void siluMulAndGather() {
        try (Gpu gpu = new Gpu()) {
            float[] g = gaussian(1000);
            float[] u = gaussian(1000);
            CUdeviceptr gd = gpu.floats(g);
            gpu.k.siluMul(gd, gpu.floats(u), 1000);
            float[] got = gpu.download(gd, 1000);
            for (int i = 0; i < 1000; i++) {
                float e = (float) (g[i] / (1.0 + Math.exp(-g[i]))) * u[i];
                assertEquals(e, got[i], 1e-6f * (1 + Math.abs(e)), "silu " + i);
            }
            int k = 50;
            int kp = 64;
            int rows = 3;
            int[] perm = new int[kp];
            for (int r = 0; r < kp; r++) {
                perm[r] = r < k ? (r * 7) % k : -1;
            }
            float[] x = gaussian(rows * k);
            CUdeviceptr xg = gpu.poisoned((long) rows * kp);
            gpu.k.gather(gpu.floats(x), gpu.ints(perm), xg, rows, k, kp);
            float[] gathered = gpu.download(xg, rows * kp);
            for (int m = 0; m < rows; m++) {
                for (int r = 0; r < kp; r++) {
                    assertEquals(perm[r] < 0 ? 0f : x[m * k + perm[r]], gathered[m * kp + r], "gather " + m + "," + r);
                }
            }
        }
    }

    static Stream<Arguments> attentionCases() {
        return Stream.of(
                // heads, kvHeads, headDim, rows, pos0, splits
                Arguments.of(4, 4, 32, 9, 0, 1),
                Arguments.of(4, 2, 64, 20, 13, 1),
                Arguments.of(8, 1, 128, 33, 100, 1),
                Arguments.of(4, 2, 128, 1, 999, 1),
                Arguments.of(4, 2, 128, 1, 999, 4),   // flash-decoding splits + combine
                Arguments.of(2, 2, 256, 1, 70, 3),
                Arguments.of(2, 1, 96, 3, 5, 1));    // head_dim not a multiple of 32
    }

    @ParameterizedTest(name = "heads {0}/{1} d {2} rows {3} pos0 {4} splits {5}")
    @MethodSource("attentionCases")
    void attentionMatchesTheCpuAlgorithm(int heads, int kvHeads, int d, int rows, int pos0, int splits) {
        int kvDim = kvHeads * d;
        int hidden = heads * d;
        int keys = pos0 + rows;
        short[] kc = new short[keys * kvDim];
        short[] vc = new short[keys * kvDim];
        for (int i = 0; i < kc.length; i++) {
            kc[i] = Fp16.fromFloat((float) random.nextGaussian());
            vc[i] = Fp16.fromFloat((float) random.nextGaussian());
        }
        float[] q = gaussian(rows * hidden);
        try (Gpu gpu = new Gpu()) {
            CUdeviceptr out = gpu.poisoned((long) rows * hidden);
            int splitLen = (keys + splits - 1) / splits;
            if (splits == 1) {
                gpu.k.attention(gpu.floats(q), gpu.halves(kc), gpu.halves(vc), out, CudaKernels.NULL,
                        CudaKernels.NULL, CudaKernels.NULL, rows, pos0, heads, kvHeads, d, 1, keys);
            } else {
                CUdeviceptr pm = gpu.poisoned((long) rows * heads * splits);
                CUdeviceptr ps = gpu.poisoned((long) rows * heads * splits);
                CUdeviceptr pa = gpu.poisoned((long) rows * heads * splits * d);
                gpu.k.attention(gpu.floats(q), gpu.halves(kc), gpu.halves(vc), out, pm, ps, pa, rows, pos0, heads,
                        kvHeads, d, splits, splitLen);
                gpu.k.attentionCombine(pm, ps, pa, out, rows, heads, d, splits);
            }
            float[] got = gpu.download(out, rows * hidden);
            double scale = 1.0 / Math.sqrt(d);
            int group = heads / kvHeads;
            for (int m = 0; m < rows; m++) {
                for (int h = 0; h < heads; h++) {
                    int len = pos0 + m + 1;
                    int kvOff = (h / group) * d;
                    double[] p = new double[len];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t = 0; t < len; t++) {
                        double dot = 0;
                        for (int i = 0; i < d; i++) {
                            dot += q[m * hidden + h * d + i] * Fp16.toFloat(kc[t * kvDim + kvOff + i]);
                        }
                        p[t] = dot * scale;
                        max = Math.max(max, p[t]);
                    }
                    double sum = 0;
                    for (int t = 0; t < len; t++) {
                        p[t] = Math.exp(p[t] - max);
                        sum += p[t];
                    }
                    for (int i = 0; i < d; i++) {
                        double e = 0;
                        for (int t = 0; t < len; t++) {
                            e += p[t] / sum * Fp16.toFloat(vc[t * kvDim + kvOff + i]);
                        }
                        assertEquals(e, got[m * hidden + h * d + i], 2e-5 * (1 + Math.abs(e)),
                                "row " + m + " head " + h + " dim " + i);
                    }
                }
            }
        }
    }

    private float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** Weight (row i of K, column c of N) of a host reference matrix. */
    interface Weights {
        double at(int i, int c);
    }

    /** got = x . W for every row of x, each element within assertClose's bound. */
    private static void assertProduct(float[] x, int rows, int k, int n, Weights w, float[] got, String what) {
        for (int m = 0; m < rows; m++) {
            for (int c = 0; c < n; c++) {
                double e = 0;
                double mag = 0;
                for (int i = 0; i < k; i++) {
                    double t = (double) x[m * k + i] * w.at(i, c);
                    e += t;
                    mag += Math.abs(t);
                }
                assertClose(e, got[m * n + c], mag, what + "rows " + rows + " y[" + m + "," + c + "]");
            }
        }
    }

    private static void assertClose(double expected, float got, double magnitude, String what) {
        if (!Float.isFinite(got)) {
            fail(what + " was not written (or is not finite): " + got);
        }
        double tol = 1e-4 * magnitude + 1e-6;
        assertTrue(Math.abs(expected - got) <= tol, what + ": expected " + expected + ", got " + got + " (tolerance "
                + tol + ")");
    }

    /** The kernel rounds to fp16 once; the host value's rounding may differ by the last bit of a float. */
    private static void assertHalf(float expected, short got, String what) {
        float g = Fp16.toFloat(got);
        assertTrue(Float.isFinite(g), what + " not written");
        assertEquals(expected, g, Math.abs(expected) * 0x1p-10f + 1e-7f, what);
    }
}
