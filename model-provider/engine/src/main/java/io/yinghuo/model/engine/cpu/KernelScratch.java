package io.yinghuo.model.engine.cpu;

/** Per-worker scratch for the kernels, allocated once per model so the hot loops allocate nothing. */
public final class KernelScratch {
    /** Raw rows of a dense matrix (one full row of the widest matrix, several for batched products). */
    public final short[] halves;
    /** Converted dense rows or an F32 row. */
    public final float[] floats;
    /** Dequantized GPTQ tile chunk: {@link CpuKernels#GEMM_CHUNK_ROWS} x TILE. */
    public final float[] tile;
    /** Partial sums of a batch for one tile: batch x TILE. */
    public final float[] partial;

    private float[] rowInput = new float[0];
    private float[] rowGroupSums = new float[0];
    private float[] rowOutput = new float[0];

    /** One gathered activation row (grown to the largest layer on first use, then reused). */
    public float[] rowInput(int length) {
        if (rowInput.length < length) {
            rowInput = new float[length];
        }
        return rowInput;
    }

    /** One row's group sums. */
    public float[] rowGroupSums(int length) {
        if (rowGroupSums.length < length) {
            rowGroupSums = new float[length];
        }
        return rowGroupSums;
    }

    /** One output row. */
    public float[] rowOutput(int length) {
        if (rowOutput.length < length) {
            rowOutput = new float[length];
        }
        return rowOutput;
    }

    public KernelScratch(int maxCols, int maxBatch) {
        this.halves = new short[CpuKernels.DENSE_ROW_BLOCK * maxCols];
        this.floats = new float[CpuKernels.DENSE_ROW_BLOCK * maxCols];
        this.tile = new float[CpuKernels.GEMM_CHUNK_ROWS * PackedGptq.TILE];
        this.partial = new float[Math.max(1, maxBatch) * PackedGptq.TILE];
    }
}
