package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.engine.cpu.vector.VectorKernels;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kernel, scalar and Vector API, in each activation mode (int8x2, the default; int8; float), against a
 * float64 product computed from {@link Linear#weight}, and the vector kernels against the scalar ones. Tolerance:
 * float accumulation of K (up to 1024) terms in another order than the double reference errs by at most about
 * sqrt(K) * 2^-24 of the sum of |x_k W_kn| for random-walk rounding (far less in practice); 2e-6 of that sum passes
 * every case here while any wrong code, zero, scale or permutation errs by percent. Integer-activation products are
 * held to that tolerance against the float64 product of the activations they quantized ({@link
 * Int8Activations#dequantized}), and their vector and scalar outputs must be bit-identical (same integer sums, same
 * float operations in the same order).
 */
class CpuKernelsTest {
    private static final double TOLERANCE = 2e-6;

    static List<CpuKernels> kernels() {
        List<CpuKernels> k = new ArrayList<>();
        k.add(KernelsProvider.scalar());
        CpuKernels v = KernelsProvider.vectorOrNull();
        assertNotNull(v, "tests run with --add-modules jdk.incubator.vector: the vector kernels must load");
        k.add(v);
        return k;
    }

    /** Scalar then vector, for the default activations (INT8X2), INT8 and FLOAT (the exact path). */
    static List<List<CpuKernels>> kernelPairs() {
        List<CpuKernels> defaults = kernels();
        for (CpuKernels k : defaults) {
            assertEquals(ActivationMode.INT8X2, k.activations(), k.name() + ": the default path on AVX2");
        }
        return List.of(defaults,
                List.of(new ScalarKernels(ActivationMode.INT8), new VectorKernels(ActivationMode.INT8)),
                List.of(new ScalarKernels(ActivationMode.FLOAT), new VectorKernels(ActivationMode.FLOAT)));
    }

    static Stream<Arguments> gptqCases() {
        List<Arguments> cases = new ArrayList<>();
        for (int bits : new int[] {4, 8, 2}) {
            for (int group : new int[] {32, 64, 128, -1}) {
                for (boolean act : new boolean[] {false, true}) {
                    for (boolean v1 : new boolean[] {true, false}) {
                        int n = bits == 2 ? 48 : 24; // 24: a partial last tile of 16 columns
                        cases.add(Arguments.of(bits, group, act, v1, 208, n));
                    }
                }
            }
        }
        cases.add(Arguments.of(4, 128, true, true, 1024, 40));
        cases.add(Arguments.of(8, 32, true, false, 96, 4));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}-bit g{1} act={2} v1={3} K={4} N={5}")
    @MethodSource("gptqCases")
    void gptqProductsMatchTheReference(int bits, int group, boolean act, boolean v1, int k, int n) {
        Random r = new Random(bits * 1000L + group * 10L + (act ? 1 : 0) + (v1 ? 5 : 0));
        GptqLinear g = RandomLlama.gptq(r, k, n, bits, group, act, v1);
        CpuLinear.Gptq lin = (CpuLinear.Gptq) CpuLinear.of(g);
        for (int rows : new int[] {1, 2, 5, 7, 9, 17}) {
            float[] x = randomVector(r, rows * k);
            for (List<CpuKernels> pair : kernelPairs()) {
                // decode rows (up to GEMV_ROWS_MAX) of 4-bit weights take integer activations but on the exact path
                boolean integer = pair.get(0).activations().integer() && bits == 4
                        && rows <= CpuKernels.GEMV_ROWS_MAX;
                double[][] ref = reference(g, integer ? quantized(pair.get(0), lin, x, rows) : x, rows);
                float[] scalarOut = run(pair.get(0), lin, x, rows);
                float[] vectorOut = run(pair.get(1), lin, x, rows);
                assertClose(ref, scalarOut, rows, n, pair.get(0).name() + " rows=" + rows);
                assertClose(ref, vectorOut, rows, n, pair.get(1).name() + " rows=" + rows);
                if (integer) {
                    assertArrayEquals(scalarOut, vectorOut, pair.get(1).name() + " vs scalar, rows=" + rows);
                } else {
                    assertVectorMatchesScalar(scalarOut, vectorOut, ref, rows, n);
                }
            }
        }
    }

    /**
     * Integer activations against the exact product: with INT8 each activation is off by at most half its block's
     * step d_b = max|x| / 127 (the codes span -127..127, the largest magnitude of every block being 127), with
     * INT8X2 by at most half the residual step d_b / 254; so each output errs by at most
     * sum_k |x_k - x^_k| |W_kn| (plus float rounding).
     */
    @ParameterizedTest(name = "{2} 4-bit g{0} act={1}")
    @MethodSource("int8Cases4Bit")
    void integerActivationErrorStaysWithinItsQuantizationBound(int group, boolean act, ActivationMode mode) {
        Random r = new Random(group * 3L + (act ? 1 : 0));
        int k = 1024;
        int n = 40;
        GptqLinear g = RandomLlama.gptq(r, k, n, 4, group, act, true);
        CpuLinear.Gptq lin = (CpuLinear.Gptq) CpuLinear.of(g);
        float[] x = randomVector(r, k);
        x[17] = 25f; // an outlier coarsens its own block only
        GptqInput in = GptqInput.forLayer(lin.w, 1);
        List<CpuKernels> pair = List.of(new ScalarKernels(mode), new VectorKernels(mode));
        pair.get(0).gptqGather(lin.w, x, 0, in, 0);
        float[] xq = Int8Activations.dequantized(lin.w, in, 0);
        int block = 0;
        for (int grp = 0; grp < lin.w.groups(); grp++) {
            for (int w0 = 0; w0 < lin.w.groupWords(grp); w0 += lin.w.blockWords(), block++) {
                int r0 = lin.w.groupFirstRow(grp) + w0 * 8;
                int r1 = r0 + Math.min(lin.w.blockWords(), lin.w.groupWords(grp) - w0) * 8;
                double step = mode == ActivationMode.INT8 ? in.blockScales[block] : in.residualScales[block];
                int largest = 0;
                for (int row = r0; row < r1; row++) {
                    largest = Math.max(largest, Math.abs(Int8Activations.code(lin.w, in.codes, 0, row)));
                    int orig = lin.w.perm()[row];
                    if (orig >= 0) {
                        double err = Math.abs(x[orig] - xq[orig]);
                        assertTrue(err <= step * 0.5 + 1e-6 * Math.abs(x[orig]),
                                "activation " + orig + " errs by " + err + ", step " + step);
                    }
                }
                assertEquals(Int8Activations.MAX_CODE, largest, "block " + block + " uses the full int8 range");
            }
        }
        for (CpuKernels kernels : pair) {
            float[] y = run(kernels, lin, x, 1);
            for (int j = 0; j < n; j++) {
                double exact = 0;
                double bound = 0;
                double mag = 0;
                for (int i = 0; i < k; i++) {
                    exact += (double) x[i] * g.weight(i, j);
                    bound += Math.abs(x[i] - xq[i]) * Math.abs(g.weight(i, j));
                    mag += Math.abs((double) xq[i] * g.weight(i, j));
                }
                assertEquals(exact, y[j], bound + TOLERANCE * mag + 1e-9, kernels.name() + " output " + j);
            }
        }
    }

    static Stream<Arguments> int8Cases4Bit() {
        List<Arguments> cases = new ArrayList<>();
        for (ActivationMode mode : new ActivationMode[] {ActivationMode.INT8X2, ActivationMode.INT8}) {
            cases.add(Arguments.of(32, false, mode));
            cases.add(Arguments.of(128, true, mode));
            cases.add(Arguments.of(-1, true, mode));
            cases.add(Arguments.of(64, false, mode));
        }
        return cases.stream();
    }

    /** Each row's integer-quantized activations as the kernels' gather leaves them, in checkpoint order. */
    private static float[] quantized(CpuKernels kernels, CpuLinear.Gptq lin, float[] x, int rows) {
        float[] out = new float[x.length];
        GptqInput in = GptqInput.forLayer(lin.w, 1);
        for (int m = 0; m < rows; m++) {
            kernels.gptqGather(lin.w, x, m * lin.in, in, 0);
            System.arraycopy(Int8Activations.dequantized(lin.w, in, 0), 0, out, m * lin.in, lin.in);
        }
        return out;
    }

    /**
     * The multi-row GEMV (several sequences' decode rows, {@link CpuKernels#gptqGemvRows}) gives every row exactly
     * what the single-row GEMV gives it alone, for the scalar and the vector kernels.
     */
    @ParameterizedTest(name = "{0}-bit g{1} act={2} v1={3} K={4} N={5}")
    @MethodSource("gptqCases")
    void multiRowGemvGivesEachRowItsSingleRowResult(int bits, int group, boolean act, boolean v1, int k, int n) {
        Random r = new Random(bits * 77L + group + (act ? 3 : 0) + (v1 ? 11 : 0));
        CpuLinear lin = CpuLinear.of(RandomLlama.gptq(r, k, n, bits, group, act, v1));
        for (CpuKernels kernels : kernelPairs().stream().flatMap(List::stream).toList()) {
            for (int rows : new int[] {2, 4, 5, CpuKernels.GEMV_ROWS_MAX}) {
                float[] x = randomVector(r, rows * k);
                float[] batched = run(kernels, lin, x, rows);
                for (int m = 0; m < rows; m++) {
                    float[] alone = run(kernels, lin, java.util.Arrays.copyOfRange(x, m * k, (m + 1) * k), 1);
                    assertArrayEquals(alone, java.util.Arrays.copyOfRange(batched, m * n, (m + 1) * n),
                            kernels.name() + " row " + m + " of " + rows);
                }
            }
        }
    }

    /**
     * The whole model: decode steps of five sequences batched through the vector kernels equal each alone. The
     * vocabulary is a multiple of 4 (as 32,000 and 55,296 are): the dense lm_head GEMV sums a last odd row with one
     * accumulator, the batched product with two, which agree only to float rounding.
     */
    @Test
    void vectorBatchedDecodeMatchesEachSequenceAlone() {
        RandomLlama.Spec spec = RandomLlama.Spec.tiny().withQuant(4, 32, true, true).withHeads(8, 2)
                .withShape(128, 200, 2, 8, 2, 72);
        BatchedForwardTest.checkDecodeBatch(new CpuBackend(KernelsProvider.vectorOrNull()), RandomLlama.build(spec), 5);
        BatchedForwardTest.checkMixedBatch(KernelsProvider.vectorOrNull(), RandomLlama.build(spec));
        BatchedForwardTest.checkMixedBatch(new VectorKernels(ActivationMode.FLOAT), RandomLlama.build(spec));
    }

    @ParameterizedTest(name = "{0} K={1} N={2}")
    @MethodSource("denseCases")
    void denseProductsMatchTheReference(DType type, int k, int n) {
        Random r = new Random(k * 31L + n);
        DenseLinear d = RandomLlama.dense(r, k, n, type);
        CpuLinear lin = CpuLinear.of(d);
        for (int rows : new int[] {1, 2, 3, 4, 5, 6, 8}) {
            float[] x = randomVector(r, rows * k);
            double[][] ref = reference(d, x, rows);
            float[] scalarOut = null;
            for (CpuKernels kernels : kernels()) {
                float[] y = run(kernels, lin, x, rows);
                assertClose(ref, y, rows, n, kernels.name() + " " + type + " rows=" + rows);
                if (scalarOut == null) {
                    scalarOut = y;
                } else {
                    assertVectorMatchesScalar(scalarOut, y, ref, rows, n);
                }
            }
        }
    }

    static Stream<Arguments> denseCases() {
        List<Arguments> cases = new ArrayList<>();
        for (DType t : new DType[] {DType.F16, DType.BF16, DType.F32}) {
            cases.add(Arguments.of(t, 37, 23));
            cases.add(Arguments.of(t, 64, 40));
            cases.add(Arguments.of(t, 5, 3));
        }
        return cases.stream();
    }

    static Stream<Arguments> int8Cases() {
        // K below one group, exactly two groups, a partial last group; N with a partial block of 4 rows
        return Stream.of(Arguments.of(DType.F16, 37, 23), Arguments.of(DType.F16, 256, 40),
                Arguments.of(DType.BF16, 300, 17), Arguments.of(DType.F32, 129, 9));
    }

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
                assertTrue(err <= scale * 0.5 + 1e-7, "rounding of w[" + row + "," + c + "] errs by " + err);
            }
        }
        for (int rows : new int[] {1, 2, 3, 4, 5, 6, 8}) {
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
            float[] scalarOut = null;
            for (CpuKernels kernels : kernels()) {
                float[] y = run(kernels, lin, x, rows);
                assertClose(ref, y, rows, n, kernels.name() + " int8 rows=" + rows);
                if (scalarOut == null) {
                    scalarOut = y;
                } else {
                    assertVectorMatchesScalar(scalarOut, y, ref, rows, n);
                }
            }
        }
    }

    /**
     * A batch of decode rows through the lm_head (8-bit, and dense fp16/bf16 when the exact head is served) gives each
     * row exactly what that row gets in a batch of two: the blocks that share a loaded weight vector among three rows
     * sum each row in the order the one-row block does, so a sequence's logits do not depend on how many others decode
     * with it or where it sits in the batch. The 8-bit head's batched rows also equal its one-row GEMV: a sequence
     * gets the same logits alone and batched.
     */
    @ParameterizedTest(name = "{0} K={1} N={2}")
    @MethodSource("int8Cases")
    void batchedHeadRowsEqualEachRowAloneBitForBit(DType type, int k, int n) {
        Random r = new Random(k * 7L + n);
        DenseLinear d = RandomLlama.dense(r, k, n, type);
        for (CpuLinear lin : new CpuLinear[] {CpuLinear.int8(d), CpuLinear.of(d)}) {
            for (CpuKernels kernels : kernels()) {
                int rows = 8;
                float[] x = randomVector(r, rows * k);
                float[] batch = run(kernels, lin, x, rows);
                for (int m = 0; m < rows; m++) {
                    // alone = a batch of two whose other row is zeros: still the batched product, not the GEMV
                    float[] pair = new float[2 * k];
                    System.arraycopy(x, m * k, pair, 0, k);
                    float[] inPair = run(kernels, lin, pair, 2);
                    float[] alone = lin instanceof CpuLinear.Int8 ? run(kernels, lin, pair, 1) : inPair;
                    for (int j = 0; j < n; j++) {
                        assertEquals(Float.floatToIntBits(inPair[j]), Float.floatToIntBits(batch[m * n + j]),
                                kernels.name() + " " + type + " row " + m + " of 8 against a batch of 2, output " + j);
                        assertEquals(Float.floatToIntBits(alone[j]), Float.floatToIntBits(batch[m * n + j]),
                                kernels.name() + " " + type + " row " + m + " of 8 against alone, output " + j);
                    }
                }
            }
        }
    }

    @Test
    void vectorHalfConversionIsExactForEveryFiniteHalf() {
        CpuKernels v = KernelsProvider.vectorOrNull();
        assertNotNull(v);
        short[] all = new short[1 << 16];
        float[] expected = new float[all.length];
        int count = 0;
        for (int h = 0; h < all.length; h++) {
            if (((h >>> 10) & 0x1F) != 0x1F) { // Inf/NaN never occur in weights or the KV cache
                all[count] = (short) h;
                expected[count++] = Fp16.toFloat((short) h);
            }
        }
        float[] y = new float[count];
        v.weightedSumHalf(new float[] {1f}, 0, all, 0, count, 1, y, 0);
        for (int i = 0; i < count; i++) {
            // delta 0: exact, except that 0 + (-0) is +0
            assertEquals(expected[i], y[i], 0f,
                    "half 0x" + Integer.toHexString(all[i] & 0xFFFF));
        }
    }

    @Test
    void smallVectorOpsAgreeWithScalarAtOddLengths() {
        Random r = new Random(7);
        for (CpuKernels k : kernels()) {
            for (int n : new int[] {1, 7, 16, 33, 128, 131}) {
                float[] a = randomVector(r, n + 3);
                float[] b = randomVector(r, n + 5);
                double refDot = 0;
                double mag = 0;
                for (int i = 0; i < n; i++) {
                    refDot += (double) a[3 + i] * b[5 + i];
                    mag += Math.abs(a[3 + i]);
                }
                assertEquals(refDot, k.dot(a, 3, b, 5, n), 1e-6 * mag + 1e-7, k.name() + " dot n=" + n);
            }
        }
    }

    /**
     * Attention's products against fp16 rows (the KV cache of one head: count positions of n values end to end),
     * for head widths that are and are not multiples of the vector width, position counts around the kernels'
     * blocks of 4 scores and 64 weighted rows, and offsets into larger arrays; against float64 sums.
     */
    @Test
    void attentionProductsAgreeWithFloat64AtOddShapes() {
        Random r = new Random(11);
        for (CpuKernels k : kernels()) {
            for (int n : new int[] {1, 7, 16, 33, 64, 128, 131}) {
                for (int count : new int[] {1, 3, 4, 5, 63, 64, 65, 130}) {
                    short[] h = new short[7 + n * count + 3];
                    for (int i = 0; i < h.length; i++) {
                        h[i] = Fp16.fromFloat(r.nextFloat() * 2 - 1);
                    }
                    float[] q = randomVector(r, n + 5);
                    float[] scores = new float[count + 2];
                    Arrays.fill(scores, 42f);
                    k.dotHalfRows(q, 5, h, 7, n, count, scores, 1);
                    assertEquals(42f, scores[0], k.name() + " wrote before its output");
                    assertEquals(42f, scores[count + 1], k.name() + " wrote past its output");
                    double mag = 0;
                    for (int i = 0; i < n; i++) {
                        mag += Math.abs(q[5 + i]);
                    }
                    for (int t = 0; t < count; t++) {
                        double ref = 0;
                        for (int i = 0; i < n; i++) {
                            ref += (double) q[5 + i] * Fp16.toFloat(h[7 + t * n + i]);
                        }
                        assertEquals(ref, scores[1 + t], 1e-6 * mag + 1e-7,
                                k.name() + " dotHalfRows n=" + n + " count=" + count + " t=" + t);
                    }

                    float[] p = new float[count + 2];
                    for (int t = 0; t < p.length; t++) {
                        p[t] = r.nextFloat();
                    }
                    float[] y = new float[n + 4];
                    Arrays.fill(y, -3f); // stale contents are overwritten, the neighbours kept
                    k.weightedSumHalf(p, 2, h, 7, n, count, y, 2);
                    assertEquals(-3f, y[1], k.name() + " wrote before its output");
                    assertEquals(-3f, y[n + 2], k.name() + " wrote past its output");
                    for (int i = 0; i < n; i++) {
                        double ref = 0;
                        double weight = 0;
                        for (int t = 0; t < count; t++) {
                            ref += (double) p[2 + t] * Fp16.toFloat(h[7 + t * n + i]);
                            weight += p[2 + t];
                        }
                        assertEquals(ref, y[2 + i], 1e-6 * weight + 1e-7,
                                k.name() + " weightedSumHalf n=" + n + " count=" + count + " i=" + i);
                    }
                }
            }
        }
    }

    /**
     * Four prompt rows reading the same cached positions: the four-query kernels give what four one-query calls give
     * (the weighted sums exactly, the scores up to the order of a horizontal sum), at head widths and position
     * counts around the blocks.
     */
    @Test
    void fourQueryAttentionEqualsFourSingleQueries() {
        Random r = new Random(17);
        for (CpuKernels k : kernels()) {
            for (int n : new int[] {1, 7, 16, 33, 128, 131}) {
                for (int count : new int[] {1, 2, 3, 64, 65, 130}) {
                    short[] h = new short[5 + n * count];
                    for (int i = 0; i < h.length; i++) {
                        h[i] = Fp16.fromFloat(r.nextFloat() * 2 - 1);
                    }
                    int qStride = n + 3;
                    float[] q = randomVector(r, 2 + 4 * qStride);
                    int sStride = count + 1;
                    float[] four = new float[1 + 4 * sStride];
                    float[] single = new float[four.length];
                    k.dotHalfRows4(q, 2, qStride, h, 5, n, count, four, 1, sStride);
                    for (int j = 0; j < 4; j++) {
                        k.dotHalfRows(q, 2 + j * qStride, h, 5, n, count, single, 1 + j * sStride);
                    }
                    // the same products and lanes; a float reduceLanes(ADD) may sum the lanes in another order
                    // (unspecified by the Vector API; JDK 25's compiled and interpreted code differ in the last bit)
                    for (int i = 0; i < single.length; i++) {
                        assertEquals(single[i], four[i], 1e-6f * (1 + Math.abs(single[i])),
                                k.name() + " dotHalfRows4 n=" + n + " count=" + count + " at " + i);
                    }

                    float[] p = new float[3 + 4 * sStride];
                    for (int i = 0; i < p.length; i++) {
                        p[i] = r.nextFloat();
                    }
                    int yStride = n + 2;
                    float[] y4 = new float[1 + 4 * yStride];
                    float[] y1 = new float[y4.length];
                    Arrays.fill(y4, 9f);
                    Arrays.fill(y1, 9f);
                    k.weightedSumHalf4(p, 3, sStride, h, 5, n, count, y4, 1, yStride);
                    for (int j = 0; j < 4; j++) {
                        k.weightedSumHalf(p, 3 + j * sStride, h, 5, n, count, y1, 1 + j * yStride);
                    }
                    assertArrayEquals(y1, y4, k.name() + " weightedSumHalf4 n=" + n + " count=" + count);
                }
            }
        }
    }

    @Test
    void softmaxExponentialsAgreeWithFloat64() {
        Random r = new Random(13);
        for (CpuKernels k : kernels()) {
            for (int n : new int[] {1, 2, 8, 9, 10, 101, 2050}) {
                float[] s = new float[n + 1];
                for (int i = 0; i < s.length; i++) {
                    s[i] = (float) (r.nextGaussian() * 8);
                }
                float[] before = s.clone();
                float shift = 3.5f;
                double sum = k.expShifted(s, 1, n - 1, shift);
                assertEquals(before[0], s[0], k.name() + " wrote before its range");
                double ref = 0;
                for (int i = 1; i < n; i++) {
                    double e = Math.exp(before[i] - shift); // the difference in float, as the kernels take it
                    ref += e;
                    assertEquals(e, s[i], 2e-7 * e, k.name() + " exp n=" + n + " i=" + i);
                }
                assertEquals(ref, sum, 1e-6 * ref + 1e-30, k.name() + " sum n=" + n);
                assertEquals(before[n], s[n], k.name() + " wrote past its range");
            }
        }
    }

    @Test
    void actOrderRepackSortsRowsIntoContiguousGroups() {
        Random r = new Random(3);
        GptqLinear g = RandomLlama.gptq(r, 96, 16, 4, 32, true, true);
        PackedGptq p = PackedGptq.pack(g);
        assertTrue(g.actOrder());
        for (int grp = 0; grp < p.groups(); grp++) {
            int first = p.groupFirstRow(grp);
            for (int i = 0; i < p.groupWords(grp) * p.codesPerWord(); i++) {
                int orig = p.perm()[first + i];
                assertTrue(orig < 0 || g.gIdx()[orig] == grp, "row " + orig + " sorted into group " + grp);
            }
        }
        // K = 96 rows in groups of 32: no padding needed
        assertEquals(96, p.paddedRows());
    }

    static GptqInput input(CpuLinear lin, int rows) {
        return new GptqInput(rows, Math.min(rows, CpuKernels.GEMV_ROWS_MAX), lin.gatherRowLength(), lin.groups(),
                lin.activationBlocks());
    }

    private static float[] run(CpuKernels kernels, CpuLinear lin, float[] x, int rows) {
        KernelScratch scratch = new KernelScratch(Math.max(lin.in, lin.out), rows);
        GptqInput in = input(lin, rows);
        float[] y = new float[rows * lin.out];
        lin.prepare(kernels, x, rows, in);
        // two slices, as two workers would compute them
        int half = lin.tasks() / 2;
        lin.compute(kernels, x, rows, in, y, 0, half, scratch);
        lin.compute(kernels, x, rows, in, y, half, lin.tasks(), scratch);
        return y;
    }

    private static double[][] reference(Linear lin, float[] x, int rows) {
        int k = lin.inFeatures();
        int n = lin.outFeatures();
        double[][] out = new double[2][rows * n];
        for (int m = 0; m < rows; m++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double mag = 0;
                for (int i = 0; i < k; i++) {
                    double p = (double) x[m * k + i] * lin.weight(i, j);
                    s += p;
                    mag += Math.abs(p);
                }
                out[0][m * n + j] = s;
                out[1][m * n + j] = mag;
            }
        }
        return out;
    }

    private static void assertClose(double[][] ref, float[] y, int rows, int n, String what) {
        for (int i = 0; i < rows * n; i++) {
            double tol = TOLERANCE * ref[1][i] + 1e-9;
            assertEquals(ref[0][i], y[i], tol, what + " output " + i);
        }
    }

    private static void assertVectorMatchesScalar(float[] scalar, float[] vector, double[][] ref, int rows, int n) {
        for (int i = 0; i < rows * n; i++) {
            assertEquals(scalar[i], vector[i], 2 * TOLERANCE * ref[1][i] + 1e-9, "vector vs scalar output " + i);
        }
    }

    static float[] randomVector(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
