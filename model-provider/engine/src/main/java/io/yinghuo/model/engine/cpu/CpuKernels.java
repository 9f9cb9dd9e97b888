package io.yinghuo.model.engine.cpu;

/**
 * The numeric inner loops of the CPU backend. {@link ScalarKernels} is the plain-Java reference; the Vector API
 * implementation ({@code io.yinghuo.model.engine.cpu.vector.VectorKernels}, module yinghuo-engine-vector) is loaded by
 * {@link KernelsProvider} only when jdk.incubator.vector is present. Every method works on a slice ([t0, t1) tiles or
 * [r0, r1) rows) so the caller can split the output columns across threads; no method allocates.
 *
 * <p>Layouts: a batch of activations is row-major [rows, K]; outputs are row-major [rows, N] and are overwritten.
 */
public interface CpuKernels {
    /** Rows of a dense matrix converted together in batched products. */
    int DENSE_ROW_BLOCK = 4;
    /** Sorted K rows dequantized at a time into {@link KernelScratch#tile} in batched GPTQ products. */
    int GEMM_CHUNK_ROWS = 256;

    /**
     * The most rows a batched GPTQ product runs through {@link #gptqGemvRows} (several sequences' decode steps);
     * larger batches (prompt chunks) take {@link #gptqGemm}, which dequantizes each weight chunk once into floats.
     */
    int GEMV_ROWS_MAX = 8;

    String name();

    /**
     * How 4-bit GPTQ products take their activations: integer ones ({@link Int8Activations}; INT8X2 by default) or
     * float ones ({@code -Dyinghuo.cpu.activations=float}, the exact path).
     */
    ActivationMode activations();

    /**
     * Prepares activation row {@code row} of {@code in} for {@link #gptqGemv} from x[xOff .. xOff + K): gathered
     * through the sort permutation (0 for padding) and, for 4-bit weights with integer {@link #activations()},
     * quantized in blocks ({@link Int8Activations}); otherwise kept in float, possibly pre-scaled as the
     * kernel wants it. {@code in.groupSums} receives each group's sum of the activations as the kernel sees them.
     */
    void gptqGather(PackedGptq w, float[] x, int xOff, GptqInput in, int row);

    /**
     * y[yOff + n] = sum_k x[k] W[k,n] for the columns of tiles [t0, t1), x being row {@code row} of {@code in} as
     * {@link #gptqGather} left it. Per group the codes are summed first and the group's scale and zero are applied
     * once: y_n += s_gn * (sum_k x_k q_kn - z_gn * sum_k x_k), which is sum_k x_k * s_gn * (q_kn - z_gn) regrouped
     * so that the scale and zero are loaded once per group (the rows of a group are contiguous after the act-order
     * sort). With int8 activations sum_k x_k q_kn is summed in integers per activation block and scaled by the
     * block's d_b once.
     */
    void gptqGemv(PackedGptq w, GptqInput in, int row, float[] y, int yOff, int t0, int t1);

    /**
     * y[m, n] = sum_k x[m, k] W[k, n] for m < rows and the columns of tiles [t0, t1). {@code xg} holds the rows
     * already gathered through the permutation (row stride {@link PackedGptq#paddedRows()}, not pre-scaled); the
     * weights are dequantized chunk by chunk into scratch and reused by every row of the batch.
     */
    void gptqGemm(PackedGptq w, float[] xg, int rows, float[] y, int t0, int t1, KernelScratch scratch);

    /**
     * {@link #gptqGemv} for rows 0 .. rows - 1 of {@code in}, row m's output at {@code y[m * outFeatures ..]}. Each
     * row's result is that of {@link #gptqGemv} on the row alone. This default runs the rows one by one, tile by
     * tile, so that a tile's weights (K / 2 bytes per column at 4 bits, 36 KB for K = 4096) are read from memory
     * once and from cache for the other rows; a kernel that unpacks each weight word once for several rows
     * overrides it.
     */
    default void gptqGemvRows(PackedGptq w, GptqInput in, int rows, float[] y, int t0, int t1,
                              KernelScratch scratch) {
        for (int t = t0; t < t1; t++) {
            for (int m = 0; m < rows; m++) {
                gptqGemv(w, in, m, y, m * w.outFeatures(), t, t + 1);
            }
        }
    }

    /** y[n] = dot(x, row n) for rows [r0, r1) of an [N, K] matrix. */
    void denseGemv(DenseRows w, float[] x, float[] y, int r0, int r1, KernelScratch scratch);

    /** y[m, n] = dot(x[m], row n) for m < rows and rows n in [r0, r1). */
    void denseGemm(DenseRows w, float[] x, int rows, float[] y, int r0, int r1, KernelScratch scratch);

    /** sum_i a[ao + i] * b[bo + i]. */
    float dot(float[] a, int ao, float[] b, int bo, int n);

    /**
     * out[oo + t] = sum_i a[ao + i] * half(b[bo + t * n + i]) for t < count: the dot products of one vector with
     * count consecutive rows of n fp16 values (IEEE half bits; attention scores against the KV cache).
     */
    void dotHalfRows(float[] a, int ao, short[] b, int bo, int n, int count, float[] out, int oo);

    /**
     * y[yo + i] = sum_t p[po + t] * half(b[bo + t * n + i]) for i < n, over count consecutive rows of n fp16 values
     * (attention's weighted sum of cached values); y's previous contents are overwritten.
     */
    void weightedSumHalf(float[] p, int po, short[] b, int bo, int n, int count, float[] y, int yo);

    /**
     * {@link #dotHalfRows} for four vectors a[ao + j * aStride ..] (j < 4) against the same rows: out[oo + j *
     * outStride + t]. Attention of four query rows that read the same cached keys; a kernel that converts each
     * cached value once for the four overrides it.
     */
    default void dotHalfRows4(float[] a, int ao, int aStride, short[] b, int bo, int n, int count, float[] out,
                              int oo, int outStride) {
        for (int j = 0; j < 4; j++) {
            dotHalfRows(a, ao + j * aStride, b, bo, n, count, out, oo + j * outStride);
        }
    }

    /**
     * {@link #weightedSumHalf} for four weight vectors p[po + j * pStride ..] (j < 4) over the same rows:
     * y[yo + j * yStride + i].
     */
    default void weightedSumHalf4(float[] p, int po, int pStride, short[] b, int bo, int n, int count, float[] y,
                                  int yo, int yStride) {
        for (int j = 0; j < 4; j++) {
            weightedSumHalf(p, po + j * pStride, b, bo, n, count, y, yo + j * yStride);
        }
    }

    /**
     * s[from + i] = exp(s[from + i] - shift) for i < n (softmax with its maximum subtracted); returns the sum of
     * the results.
     */
    double expShifted(float[] s, int from, int n, float shift);

    /**
     * y[n] = sum_k x[k] w[n, k] for rows [r0, r1) of an 8-bit matrix: per group, sum_k x_k q_nk is accumulated
     * first and the group's scale applied once.
     */
    void int8Gemv(Int8Rows w, float[] x, float[] y, int r0, int r1);

    /** y[m, n] = sum_k x[m, k] w[n, k] for m < rows and rows n in [r0, r1). */
    void int8Gemm(Int8Rows w, float[] x, int rows, float[] y, int r0, int r1, KernelScratch scratch);
}
