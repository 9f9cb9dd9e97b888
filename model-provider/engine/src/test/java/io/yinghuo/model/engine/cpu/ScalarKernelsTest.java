package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.util.Fp16;
import io.yinghuo.model.weights.DenseLinear;
import io.yinghuo.model.weights.GptqLinear;
import io.yinghuo.model.weights.Linear;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain-Java kernels on their own, in this module: they serve every JVM started without the Vector API, and they
 * are the oracle the vector kernels are held to ({@code CpuKernelsTest} in yinghuo-engine-vector compares the two),
 * so they are checked here against float64 sums computed from {@link Linear#weight} on random inputs, at odd sizes:
 * K with a partial last group, N with a partial last tile of 16 columns or block of rows, rows below, at and above
 * {@link CpuKernels#GEMV_ROWS_MAX} (one-row GEMV, multi-row GEMV, dequantizing GEMM), head widths and position
 * counts that are not multiples of anything, offsets into larger arrays with guard values around each output.
 * Tolerance as in {@code CpuKernelsTest}: 2e-6 of the sum of |x_k W_kn|, while a wrong code, scale, zero, lane or
 * missed tail errs by percent.
 */
class ScalarKernelsTest {
    private static final double TOLERANCE = 2e-6;
    private static final int[] ROW_COUNTS = {1, 3, CpuKernels.GEMV_ROWS_MAX, CpuKernels.GEMV_ROWS_MAX + 1};

    static Stream<Arguments> gptqCases() {
        List<Arguments> cases = new ArrayList<>();
        for (ActivationMode mode : ActivationMode.values()) {
            // K = 208: six full groups of 32 and a partial one; N = 24 (4 and 8 bits: multiples of 8): a full tile and
            // a partial one
            cases.add(Arguments.of(mode, 4, 32, true, true, 208, 24));
            cases.add(Arguments.of(mode, 4, -1, false, false, 208, 24));
            cases.add(Arguments.of(mode, 8, 64, true, false, 208, 24));
            cases.add(Arguments.of(mode, 2, 32, false, true, 208, 48)); // 2 bits: K and N multiples of 16
        }
        // a group of 128 holds more than one activation block of the integer modes
        cases.add(Arguments.of(ActivationMode.INT8X2, 4, 128, true, true, 520, 24));
        // one group of 520 rows: the GEMM dequantizes it in chunks of GEMM_CHUNK_ROWS (256, 256 and 8 rows)
        cases.add(Arguments.of(ActivationMode.FLOAT, 4, -1, false, true, 520, 24));
        cases.add(Arguments.of(ActivationMode.FLOAT, 8, -1, true, true, 520, 24));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}-bit g{2} act={3} v1={4} K={5} N={6}")
    @MethodSource("gptqCases")
    void gptqProductsMatchFloat64(ActivationMode mode, int bits, int group, boolean act, boolean v1, int k, int n) {
        Random r = new Random(bits * 1000L + group * 10L + (act ? 1 : 0) + (v1 ? 5 : 0) + mode.ordinal() * 7L);
        GptqLinear g = RandomLlama.gptq(r, k, n, bits, group, act, v1);
        CpuLinear.Gptq lin = (CpuLinear.Gptq) CpuLinear.of(g);
        ScalarKernels kernels = new ScalarKernels(mode);
        for (int rows : ROW_COUNTS) {
            float[] x = randomVector(r, rows * k);
            // GEMV rows of 4-bit weights take integer activations in the integer modes: the exact product of the
            // activations as quantized; the GEMM (more rows) takes the floats
            boolean integer = mode.integer() && bits == 4 && rows <= CpuKernels.GEMV_ROWS_MAX;
            double[][] ref = reference(g, integer ? quantized(kernels, lin, x, rows) : x, rows);
            assertClose(ref, run(kernels, lin, x, rows), kernels.name() + " rows=" + rows);
        }
    }

    /**
     * The integer activations keep every value within half a step of what it was (the block's step d / 127 for INT8,
     * the residual step d / 254 / 127 for INT8X2), and the block's largest magnitude takes the full code 127.
     */
    @Test
    void integerActivationsStayWithinHalfAStep() {
        Random r = new Random(5);
        GptqLinear g = RandomLlama.gptq(r, 520, 16, 4, 128, true, true);
        CpuLinear.Gptq lin = (CpuLinear.Gptq) CpuLinear.of(g);
        float[] x = randomVector(r, 520);
        x[17] = 25f; // an outlier coarsens its own block only
        for (ActivationMode mode : List.of(ActivationMode.INT8X2, ActivationMode.INT8)) {
            GptqInput in = GptqInput.forLayer(lin.w, 1);
            new ScalarKernels(mode).gptqGather(lin.w, x, 0, in, 0);
            float[] xq = Int8Activations.dequantized(lin.w, in, 0);
            int block = 0;
            for (int grp = 0; grp < lin.w.groups(); grp++) {
                for (int w0 = 0; w0 < lin.w.groupWords(grp); w0 += lin.w.blockWords(), block++) {
                    int r0 = lin.w.groupFirstRow(grp) + w0 * 8;
                    int r1 = r0 + Math.min(lin.w.blockWords(), lin.w.groupWords(grp) - w0) * 8;
                    float max = 0f;
                    int largest = 0;
                    for (int row = r0; row < r1; row++) {
                        int orig = lin.w.perm()[row];
                        max = Math.max(max, orig < 0 ? 0f : Math.abs(x[orig]));
                        largest = Math.max(largest, Math.abs(Int8Activations.code(lin.w, in.codes, 0, row)));
                    }
                    assertEquals(max / Int8Activations.MAX_CODE, in.blockScales[block], 1e-6 * max, mode + " step");
                    assertEquals(Int8Activations.MAX_CODE, largest, mode + " block " + block + " uses the full range");
                    double step = mode == ActivationMode.INT8 ? in.blockScales[block] : in.residualScales[block];
                    for (int row = r0; row < r1; row++) {
                        int orig = lin.w.perm()[row];
                        if (orig >= 0) {
                            double err = Math.abs(x[orig] - xq[orig]);
                            assertEquals(0, err, step * 0.5 + 1e-6 * Math.abs(x[orig]),
                                    mode + " activation " + orig + " (step " + step + ")");
                        }
                    }
                }
            }
        }
    }

    /**
     * Activation blocks are {@link PackedGptq#ACTIVATION_BLOCK_ROWS} sorted rows: an outlier coarsens the step of
     * its own block, and the other blocks of its group keep steps fitted to their own values (INT8: each value within
     * half of its block's max / 127).
     */
    @Test
    void anOutlierCoarsensOnlyItsOwnBlockOfActivations() {
        Random r = new Random(23);
        GptqLinear g = RandomLlama.gptq(r, 256, 16, 4, 128, false, true);
        CpuLinear.Gptq lin = (CpuLinear.Gptq) CpuLinear.of(g);
        float[] x = randomVector(r, 256);
        x[3] = 40f;
        x[200] = -40f;
        GptqInput in = GptqInput.forLayer(lin.w, 1);
        new ScalarKernels(ActivationMode.INT8).gptqGather(lin.w, x, 0, in, 0);
        float[] xq = Int8Activations.dequantized(lin.w, in, 0);
        int[] perm = lin.w.perm();
        for (int b0 = 0; b0 < perm.length; b0 += PackedGptq.ACTIVATION_BLOCK_ROWS) {
            float max = 0f;
            for (int row = b0; row < b0 + PackedGptq.ACTIVATION_BLOCK_ROWS; row++) {
                max = Math.max(max, perm[row] < 0 ? 0f : Math.abs(x[perm[row]]));
            }
            for (int row = b0; row < b0 + PackedGptq.ACTIVATION_BLOCK_ROWS; row++) {
                if (perm[row] >= 0) {
                    assertEquals(x[perm[row]], xq[perm[row]], max / Int8Activations.MAX_CODE * 0.5 * (1 + 1e-6),
                            "activation " + perm[row] + " in the block of sorted rows from " + b0);
                }
            }
        }
    }

    @Test
    void theDefaultKernelsTakeInt8x2ActivationsAndSaySo() {
        assertEquals(ActivationMode.INT8X2, new ScalarKernels().activations());
        assertEquals("scalar int8x2", new ScalarKernels().name());
        assertEquals("scalar float", new ScalarKernels(ActivationMode.FLOAT).name());
    }

    /**
     * What a product streams ({@link CpuLinear#bytes}, summed into the model's weight bytes per token): the packed
     * codes (K * N * bits / 8 bytes), one header int (scale and zero) per column and group, and the permutation;
     * nothing more than padding to whole tiles and groups.
     */
    @Test
    void packedWeightsTakeTheBytesOfTheirCodesHeadersAndPermutation() {
        Random r = new Random(29);
        for (int bits : new int[] {4, 8}) {
            GptqLinear g = RandomLlama.gptq(r, 256, 40, bits, 64, true, true);
            PackedGptq p = PackedGptq.pack(g);
            int tiles = (40 + PackedGptq.TILE - 1) / PackedGptq.TILE;
            long codes = (long) tiles * PackedGptq.TILE * 256 * bits / 8;
            long headers = (long) tiles * PackedGptq.TILE * p.groups() * 4;
            assertEquals(codes + headers + 256L * 4, p.bytes(), bits + "-bit");
        }
    }

    static Stream<Arguments> denseCases() {
        List<Arguments> cases = new ArrayList<>();
        for (DType t : new DType[] {DType.F16, DType.BF16, DType.F32}) {
            cases.add(Arguments.of(t, 37, 23));
            cases.add(Arguments.of(t, 5, 3));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} K={1} N={2}")
    @MethodSource("denseCases")
    void denseProductsMatchFloat64(DType type, int k, int n) {
        Random r = new Random(k * 31L + n + type.ordinal());
        DenseLinear d = RandomLlama.dense(r, k, n, type);
        CpuLinear lin = CpuLinear.of(d);
        assertEquals((long) n * k * type.bytes(), lin.bytes(), "a product streams the whole matrix as stored");
        ScalarKernels kernels = new ScalarKernels();
        for (int rows : ROW_COUNTS) {
            float[] x = randomVector(r, rows * k);
            assertClose(reference(d, x, rows), run(kernels, lin, x, rows), type + " rows=" + rows);
        }
    }

    /** Int8 rows (the quantized output head): the exact product of their codes and scales, groups cut at K. */
    @ParameterizedTest(name = "int8 from {0} K={1} N={2}")
    @MethodSource("int8Cases")
    void int8ProductsMatchTheirDequantizedWeights(DType type, int k, int n) {
        Random r = new Random(k * 17L + n);
        DenseLinear d = RandomLlama.dense(r, k, n, type);
        CpuLinear.Int8 lin = (CpuLinear.Int8) CpuLinear.int8(d);
        Int8Rows q = lin.w;
        for (int row = 0; row < n; row++) {
            for (int c = 0; c < k; c++) {
                float scale = q.scales()[row * q.groupsPerRow() + c / Int8Rows.GROUP];
                double err = Math.abs(d.weight(c, row) - scale * q.codes()[row * k + c]);
                assertEquals(0, err, scale * 0.5 + 1e-7, "rounding of w[" + row + "," + c + "]");
            }
        }
        int groups = (k + Int8Rows.GROUP - 1) / Int8Rows.GROUP;
        assertEquals((long) n * k + 4L * n * groups, q.bytes(), "one byte per weight and a float per row and group");
        for (int rows : ROW_COUNTS) {
            float[] x = randomVector(r, rows * k);
            double[][] ref = new double[2][rows * n];
            for (int m = 0; m < rows; m++) {
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < k; c++) {
                        double p = (double) x[m * k + c] * q.scales()[j * q.groupsPerRow() + c / Int8Rows.GROUP]
                                * q.codes()[j * k + c];
                        ref[0][m * n + j] += p;
                        ref[1][m * n + j] += Math.abs(p);
                    }
                }
            }
            assertClose(ref, run(new ScalarKernels(), lin, x, rows), "int8 rows=" + rows);
        }
    }

    static Stream<Arguments> int8Cases() {
        // K below one group, a partial last group, exactly two groups; N with a partial block of rows
        // (rows are quantized in parallel blocks of 64: N = 70 takes two)
        return Stream.of(Arguments.of(DType.F16, 37, 23), Arguments.of(DType.BF16, 300, 70),
                Arguments.of(DType.F32, 2 * Int8Rows.GROUP, 9));
    }

    /** Whether a head can be quantized to 8 bits: its codes must fit one Java array. */
    @Test
    void int8RowsFitOneArrayUpToItsLimit() {
        assertTrue(Int8Rows.fits(55_296, 4096), "Chinese-LLaMA-2's output head");
        assertTrue(Int8Rows.fits(1, Integer.MAX_VALUE - 16));
        assertFalse(Int8Rows.fits(1, Integer.MAX_VALUE - 15));
        assertFalse(Int8Rows.fits(65_536, 65_536));
    }

    @Test
    void dotAgreesWithFloat64AtOddLengthsAndOffsets() {
        Random r = new Random(7);
        CpuKernels k = new ScalarKernels();
        for (int n : new int[] {1, 7, 33, 131}) {
            float[] a = randomVector(r, n + 3);
            float[] b = randomVector(r, n + 5);
            double ref = 0;
            double mag = 0;
            for (int i = 0; i < n; i++) {
                ref += (double) a[3 + i] * b[5 + i];
                mag += Math.abs((double) a[3 + i] * b[5 + i]);
            }
            assertEquals(ref, k.dot(a, 3, b, 5, n), TOLERANCE * mag + 1e-9, "dot n=" + n);
        }
    }

    /**
     * Attention's products against fp16 rows (one head's cached positions end to end), one query and four queries
     * that read the same rows, with outputs inside larger arrays whose neighbours must stay as they were.
     */
    @Test
    void attentionProductsAgreeWithFloat64AtOddShapes() {
        Random r = new Random(11);
        CpuKernels k = new ScalarKernels();
        for (int n : new int[] {1, 7, 33}) {
            for (int count : new int[] {1, 3, 5, 65}) {
                short[] h = new short[7 + n * count + 3];
                for (int i = 0; i < h.length; i++) {
                    h[i] = Fp16.fromFloat(r.nextFloat() * 2 - 1);
                }
                String shape = " n=" + n + " count=" + count;
                int qStride = n + 3;
                float[] q = randomVector(r, 5 + 4 * qStride);
                int sStride = count + 2;
                float[] scores = new float[1 + 4 * sStride];
                Arrays.fill(scores, 42f);
                k.dotHalfRows4(q, 5, qStride, h, 7, n, count, scores, 1, sStride);
                for (int j = 0; j < 4; j++) {
                    for (int t = 0; t < count; t++) {
                        double ref = 0;
                        double mag = 0;
                        for (int i = 0; i < n; i++) {
                            double p = (double) q[5 + j * qStride + i] * Fp16.toFloat(h[7 + t * n + i]);
                            ref += p;
                            mag += Math.abs(p);
                        }
                        assertEquals(ref, scores[1 + j * sStride + t], TOLERANCE * mag + 1e-9,
                                "dotHalfRows4 query " + j + shape + " t=" + t);
                    }
                    assertEquals(42f, scores[1 + j * sStride + count], "dotHalfRows4 wrote past query " + j + shape);
                }
                assertEquals(42f, scores[0], "dotHalfRows4 wrote before its output" + shape);

                int pStride = count + 1;
                float[] p = new float[3 + 4 * pStride];
                for (int t = 0; t < p.length; t++) {
                    p[t] = r.nextFloat();
                }
                int yStride = n + 2;
                float[] y = new float[1 + 4 * yStride];
                Arrays.fill(y, -3f); // stale contents are overwritten, the neighbours kept
                k.weightedSumHalf4(p, 3, pStride, h, 7, n, count, y, 1, yStride);
                for (int j = 0; j < 4; j++) {
                    for (int i = 0; i < n; i++) {
                        double ref = 0;
                        double weight = 0;
                        for (int t = 0; t < count; t++) {
                            ref += (double) p[3 + j * pStride + t] * Fp16.toFloat(h[7 + t * n + i]);
                            weight += p[3 + j * pStride + t];
                        }
                        assertEquals(ref, y[1 + j * yStride + i], TOLERANCE * weight + 1e-9,
                                "weightedSumHalf4 weights " + j + shape + " i=" + i);
                    }
                    assertEquals(-3f, y[1 + j * yStride + n], "weightedSumHalf4 wrote past row " + j + shape);
                }
                assertEquals(-3f, y[0], "weightedSumHalf4 wrote before its output" + shape);
            }
        }
    }

    @Test
    void softmaxExponentialsAgreeWithFloat64() {
        Random r = new Random(13);
        CpuKernels k = new ScalarKernels();
        for (int n : new int[] {2, 9, 101}) {
            float[] s = new float[n + 1];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) (r.nextGaussian() * 8);
            }
            float[] before = s.clone();
            float shift = 3.5f;
            double sum = k.expShifted(s, 1, n - 1, shift);
            assertEquals(before[0], s[0], "wrote before its range");
            double ref = 0;
            for (int i = 1; i < n; i++) {
                double e = Math.exp(before[i] - shift); // the difference in float, as the kernels take it
                ref += e;
                assertEquals(e, s[i], 2e-7 * e, "exp n=" + n + " i=" + i);
            }
            assertEquals(ref, sum, 1e-6 * ref + 1e-30, "sum n=" + n);
            assertEquals(before[n], s[n], "wrote past its range");
        }
    }

    /** The multi-row GEMV gives each row exactly what the one-row GEMV gives it alone. */
    @Test
    void multiRowGemvGivesEachRowItsSingleRowResult() {
        Random r = new Random(19);
        CpuLinear lin = CpuLinear.of(RandomLlama.gptq(r, 208, 24, 4, 32, true, true));
        for (ActivationMode mode : ActivationMode.values()) {
            ScalarKernels kernels = new ScalarKernels(mode);
            int rows = 5;
            float[] x = randomVector(r, rows * 208);
            float[] batched = run(kernels, lin, x, rows);
            for (int m = 0; m < rows; m++) {
                float[] alone = run(kernels, lin, Arrays.copyOfRange(x, m * 208, (m + 1) * 208), 1);
                assertArrayEquals(alone, Arrays.copyOfRange(batched, m * 24, (m + 1) * 24), mode + " row " + m);
            }
        }
    }

    /** Each row's integer-quantized activations as the gather leaves them in its own row of the input, in checkpoint
     * order. */
    private static float[] quantized(CpuKernels kernels, CpuLinear.Gptq lin, float[] x, int rows) {
        float[] out = new float[x.length];
        GptqInput in = GptqInput.forLayer(lin.w, rows);
        for (int m = 0; m < rows; m++) {
            kernels.gptqGather(lin.w, x, m * lin.in, in, m);
        }
        for (int m = 0; m < rows; m++) {
            System.arraycopy(Int8Activations.dequantized(lin.w, in, m), 0, out, m * lin.in, lin.in);
        }
        return out;
    }

    /** The product through the layer's own prepare and compute, its output cut in two slices as two workers do. */
    private static float[] run(CpuKernels kernels, CpuLinear lin, float[] x, int rows) {
        KernelScratch scratch = new KernelScratch(Math.max(lin.in, lin.out), rows);
        GptqInput in = new GptqInput(rows, Math.min(rows, CpuKernels.GEMV_ROWS_MAX), lin.gatherRowLength(),
                lin.groups(), lin.activationBlocks());
        float[] y = new float[rows * lin.out];
        Arrays.fill(y, Float.NaN); // every output must be written
        lin.prepare(kernels, x, rows, in);
        int half = lin.tasks() / 2;
        lin.compute(kernels, x, rows, in, y, 0, half, scratch);
        lin.compute(kernels, x, rows, in, y, half, lin.tasks(), scratch);
        return y;
    }

    /** Per output: the float64 product and the sum of the magnitudes of its terms (the tolerance's scale). */
    private static double[][] reference(Linear lin, float[] x, int rows) {
        int k = lin.inFeatures();
        int n = lin.outFeatures();
        double[][] out = new double[2][rows * n];
        for (int m = 0; m < rows; m++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < k; i++) {
                    double p = (double) x[m * k + i] * lin.weight(i, j);
                    out[0][m * n + j] += p;
                    out[1][m * n + j] += Math.abs(p);
                }
            }
        }
        return out;
    }

    private static void assertClose(double[][] ref, float[] y, String what) {
        assertEquals(ref[0].length, y.length);
        for (int i = 0; i < y.length; i++) {
            assertEquals(ref[0][i], y[i], TOLERANCE * ref[1][i] + 1e-9, what + " output " + i);
        }
    }

    private static float[] randomVector(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
