package io.yinghuo.model.engine.cpu;

/**
 * Activation rows prepared for a GPTQ product by {@link CpuKernels#gptqGather} (or gathered plainly for
 * {@link CpuKernels#gptqGemm}). Row m of a layer with padded K {@code kp}, G groups and B activation blocks sits at
 * {@code values[m * kp ..]}, {@code groupSums[m * G ..]}, {@code codes[m * kp / 2 ..]} (and
 * {@code residuals}), {@code blockScales[m * B ..]} (and {@code residualScales}); which arrays a kernel fills
 * depends on its {@link ActivationMode} (float activations, or integer ones as {@link Int8Activations} describes). Buffers are sized once for the largest layer and reused.
 */
public final class GptqInput {
    /** Gathered float activations (row stride kp). */
    public final float[] values;
    /** Per row and group: the sum of the group's activations, as the kernel path sees them. */
    public final float[] groupSums;
    /** Int8 activations, two 16-bit values per int (row stride kp / 2). */
    public final int[] codes;
    /** Int8 residuals of the activations ({@link ActivationMode#INT8X2}), laid out as {@link #codes}. */
    public final int[] residuals;
    /** Per row and activation block: the int8 scale d_b. */
    public final float[] blockScales;
    /** Per row and activation block: the residuals' scale, d_b / 254. */
    public final float[] residualScales;

    /**
     * @param valueRows rows of float activations (prompt chunks gather this many)
     * @param gemvRows rows of prepared activations (at most {@link CpuKernels#GEMV_ROWS_MAX})
     */
    public GptqInput(int valueRows, int gemvRows, int paddedRows, int groups, int blocks) {
        this.values = new float[Math.max(1, Math.max(valueRows, gemvRows) * paddedRows)];
        this.groupSums = new float[Math.max(1, gemvRows * groups)];
        this.codes = new int[Math.max(1, gemvRows * paddedRows / 2)];
        this.residuals = new int[codes.length];
        this.blockScales = new float[Math.max(1, gemvRows * blocks)];
        this.residualScales = new float[blockScales.length];
    }

    /** Buffers for {@code rows} rows of one layer. */
    public static GptqInput forLayer(PackedGptq w, int rows) {
        return new GptqInput(rows, rows, w.paddedRows(), w.groups(), w.activationBlocks());
    }
}
