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

    public KernelScratch(int maxCols, int maxBatch) {
        this.halves = new short[CpuKernels.DENSE_ROW_BLOCK * maxCols];
        this.floats = new float[CpuKernels.DENSE_ROW_BLOCK * maxCols];
        this.tile = new float[CpuKernels.GEMM_CHUNK_ROWS * PackedGptq.TILE];
        this.partial = new float[Math.max(1, maxBatch) * PackedGptq.TILE];
    }
}
