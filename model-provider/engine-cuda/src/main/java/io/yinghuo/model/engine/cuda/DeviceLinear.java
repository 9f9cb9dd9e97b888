package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.weights.DenseLinear;
import io.yinghuo.model.weights.DenseMatrix;
import io.yinghuo.model.weights.GptqLinear;
import io.yinghuo.model.weights.Linear;
import jcuda.driver.CUdeviceptr;

/**
 * A linear layer resident on the GPU. {@link #run} computes y (rows x out) = x (rows x in) . W + bias, or adds
 * that to y when {@code accumulate} (the residual adds of the layer, fused). One activation row takes the GEMV
 * kernels, more rows the tiled GEMM kernels.
 */
abstract sealed class DeviceLinear permits DeviceLinear.Gptq, DeviceLinear.Dense {
    final int in;
    final int out;

    DeviceLinear(int in, int out) {
        this.in = in;
        this.out = out;
    }

    /** Uploads a checkpoint linear into {@code memory}; GPTQ rows are rearranged on the host first. */
    static DeviceLinear upload(Linear linear, DeviceMemory memory, int multiprocessors) {
        if (linear instanceof GptqLinear g) {
            return new Gptq(GptqLayout.of(g), memory, multiprocessors);
        }
        DenseLinear d = (DenseLinear) linear;
        return new Dense(d, memory);
    }

    /** Device bytes {@link #upload} will take, computed without building anything. */
    static long deviceBytes(Linear linear) {
        if (linear instanceof GptqLinear g) {
            return GptqLayout.deviceBytes(g);
        }
        DenseMatrix m = ((DenseLinear) linear).weightMatrix();
        return m.storageBytes() + (((DenseLinear) linear).biasValues() != null ? 4L * m.rows() : 0);
    }

    /** Floats of gather buffer one activation row needs (0 when none). */
    abstract int gatherFloatsPerRow();

    /** Floats of split-K partial sums a GEMV needs (0 when none). */
    abstract long partialFloats();

    /** Bytes one matrix-vector product streams. */
    abstract long bytes();

    abstract void run(CudaKernels k, CUdeviceptr x, int rows, CUdeviceptr y, boolean accumulate,
                      CUdeviceptr gather, CUdeviceptr partial);

    static final class Gptq extends DeviceLinear {
        final int bits;
        final int paddedRows;
        final int chunkCount;
        final boolean identity;
        final int splits;
        final long bytes;
        final CUdeviceptr perm;
        final CUdeviceptr qweight;
        final CUdeviceptr meta;
        final CUdeviceptr wordGroup;
        final CUdeviceptr chunks;
        final CUdeviceptr bias;

        Gptq(GptqLayout layout, DeviceMemory memory, int multiprocessors) {
            super(layout.inFeatures(), layout.outFeatures());
            this.bits = layout.bits();
            this.paddedRows = layout.paddedRows();
            this.chunkCount = layout.chunkCount();
            this.identity = layout.identity();
            this.splits = gemvSplits(out, chunkCount, multiprocessors);
            this.bytes = layout.deviceBytes();
            this.perm = memory.upload(layout.perm());
            this.qweight = memory.upload(layout.qweight());
            this.meta = memory.upload(layout.meta());
            this.wordGroup = memory.upload(layout.wordGroup());
            this.chunks = memory.upload(layout.chunks());
            this.bias = layout.bias() == null ? CudaKernels.NULL : memory.upload(layout.bias());
        }

        /**
         * Blocks along K for one GEMV: enough that the grid covers every multiprocessor about twice, never more
         * thread rows than chunks.
         */
        static int gemvSplits(int n, int chunkCount, int multiprocessors) {
            int columnBlocks = CudaKernels.blocks(n, CudaKernels.GEMV_COLUMNS);
            int want = (2 * multiprocessors + columnBlocks - 1) / columnBlocks;
            int most = Math.max(1, (chunkCount + CudaKernels.GEMV_THREAD_ROWS - 1) / CudaKernels.GEMV_THREAD_ROWS);
            return Math.max(1, Math.min(want, most));
        }

        @Override
        int gatherFloatsPerRow() {
            return identity ? 0 : paddedRows;
        }

        @Override
        long partialFloats() {
            return (long) splits * out;
        }

        @Override
        long bytes() {
            return bytes;
        }

        @Override
        void run(CudaKernels k, CUdeviceptr x, int rows, CUdeviceptr y, boolean accumulate, CUdeviceptr gather,
                 CUdeviceptr partial) {
            CUdeviceptr xs = x;
            if (!identity) {
                k.gather(x, perm, gather, rows, in, paddedRows);
                xs = gather;
            }
            if (rows == 1) {
                k.gptqGemv(bits, qweight, meta, chunks, chunkCount, xs, partial, out, splits);
                k.gemvFinish(partial, splits, bias, y, out, accumulate);
            } else {
                k.gptqGemm(bits, qweight, meta, wordGroup, xs, bias, y, rows, paddedRows, out, accumulate);
            }
        }
    }

    static final class Dense extends DeviceLinear {
        final DType type;
        final CUdeviceptr weight;
        final CUdeviceptr bias;
        final long bytes;

        Dense(DenseLinear linear, DeviceMemory memory) {
            super(linear.inFeatures(), linear.outFeatures());
            DenseMatrix m = linear.weightMatrix();
            this.type = m.dtype();
            CudaKernels.suffix(type); // refuses other element types before uploading
            this.weight = memory.upload(m.data(), m.storageBytes());
            float[] b = linear.biasValues();
            boolean any = false;
            for (int i = 0; b != null && i < b.length && !any; i++) {
                any = b[i] != 0f;
            }
            this.bias = any ? memory.upload(b) : CudaKernels.NULL;
            this.bytes = m.storageBytes();
        }

        @Override
        int gatherFloatsPerRow() {
            return 0;
        }

        @Override
        long partialFloats() {
            return 0;
        }

        @Override
        long bytes() {
            return bytes;
        }

        @Override
        void run(CudaKernels k, CUdeviceptr x, int rows, CUdeviceptr y, boolean accumulate, CUdeviceptr gather,
                 CUdeviceptr partial) {
            if (rows == 1) {
                k.denseGemv(type, weight, x, bias, y, in, out, accumulate);
            } else {
                k.denseGemm(type, weight, x, bias, y, rows, in, out, accumulate);
            }
        }
    }
}
