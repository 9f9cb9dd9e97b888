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

    String name();

    /**
     * Gathers one activation row through the sort permutation for {@link #gptqGemv}: {@code xg[r]} is
     * {@code x[xOff + perm[r]]} (0 for padding), possibly pre-scaled as the kernel wants it, and
     * {@code groupSums[g]} is the plain sum of group g's gathered activations.
     */
    void gptqGather(PackedGptq w, float[] x, int xOff, float[] xg, float[] groupSums);

    /**
     * y[n] = sum_k x[k] W[k,n] for the columns of tiles [t0, t1), from {@link #gptqGather}'s output. Per group
     * the codes are summed first and the group's scale and zero are applied once:
     * y_n += s_gn * (sum_k x_k q_kn - z_gn * sum_k x_k), which is sum_k x_k * s_gn * (q_kn - z_gn) regrouped so that
     * the scale and zero are loaded once per group (the rows of a group are contiguous after the act-order sort).
     */
    void gptqGemv(PackedGptq w, float[] xg, float[] groupSums, float[] y, int t0, int t1);

    /**
     * y[m, n] = sum_k x[m, k] W[k, n] for m < rows and the columns of tiles [t0, t1). {@code xg} holds the rows
     * already gathered through the permutation (row stride {@link PackedGptq#paddedRows()}, not pre-scaled); the
     * weights are dequantized chunk by chunk into scratch and reused by every row of the batch.
     */
    void gptqGemm(PackedGptq w, float[] xg, int rows, float[] y, int t0, int t1, KernelScratch scratch);

    /** y[n] = dot(x, row n) for rows [r0, r1) of an [N, K] matrix. */
    void denseGemv(DenseRows w, float[] x, float[] y, int r0, int r1, KernelScratch scratch);

    /** y[m, n] = dot(x[m], row n) for m < rows and rows n in [r0, r1). */
    void denseGemm(DenseRows w, float[] x, int rows, float[] y, int r0, int r1, KernelScratch scratch);

    /** sum_i a[ao + i] * b[bo + i]. */
    float dot(float[] a, int ao, float[] b, int bo, int n);

    /** sum_i a[ao + i] * half(b[bo + i]), b in IEEE fp16 bits (the KV cache). */
    float dotHalf(float[] a, int ao, short[] b, int bo, int n);

    /** y[yo + i] += alpha * half(b[bo + i]). */
    void axpyHalf(float alpha, short[] b, int bo, float[] y, int yo, int n);

    /**
     * y[n] = sum_k x[k] w[n, k] for rows [r0, r1) of an 8-bit matrix: per group, sum_k x_k q_nk is accumulated
     * first and the group's scale applied once.
     */
    void int8Gemv(Int8Rows w, float[] x, float[] y, int r0, int r1);

    /** y[m, n] = sum_k x[m, k] w[n, k] for m < rows and rows n in [r0, r1). */
    void int8Gemm(Int8Rows w, float[] x, int rows, float[] y, int r0, int r1, KernelScratch scratch);
}
