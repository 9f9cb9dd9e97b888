package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.weights.DenseLinear;
import io.yinghuo.model.weights.GptqLinear;
import io.yinghuo.model.weights.Linear;

/**
 * A linear layer in the CPU layout. A product runs in two steps: {@link #prepare} on the calling thread (gathers
 * the activations for GPTQ act-order), then {@link #compute} on slices of output tasks from every worker.
 */
abstract sealed class CpuLinear permits CpuLinear.Gptq, CpuLinear.ByRows {
    /** Dense rows handed to one task. */
    static final int DENSE_ROWS_PER_TASK = 16;

    final int in;
    final int out;
    final float[] bias;

    CpuLinear(int in, int out, float[] bias) {
        this.in = in;
        this.out = out;
        this.bias = bias;
    }

    static CpuLinear of(Linear linear) {
        float[] bias = biasOf(linear);
        if (linear instanceof GptqLinear g) {
            return new Gptq(PackedGptq.pack(g), bias);
        }
        DenseLinear d = (DenseLinear) linear;
        return new Dense(new DenseRows(d.weightMatrix()), bias);
    }

    /** A dense linear quantized to 8 bits at load ({@link Int8Rows}). */
    static CpuLinear int8(DenseLinear d) {
        return new Int8(Int8Rows.quantize(new DenseRows(d.weightMatrix())), biasOf(d));
    }

    private static float[] biasOf(Linear linear) {
        float[] bias = null;
        for (int n = 0; n < linear.outFeatures() && bias == null; n++) {
            if (linear.bias(n) != 0f) {
                bias = new float[linear.outFeatures()];
                for (int j = 0; j < bias.length; j++) {
                    bias[j] = linear.bias(j);
                }
            }
        }
        return bias;
    }

    /** Output tasks a product splits into. */
    abstract int tasks();

    /** Floats of gather buffer one activation row needs (0 when none). */
    abstract int gatherRowLength();

    abstract int groups();

    /** Int8 activation blocks of one row ({@link PackedGptq#activationBlocks()}; 0 when none). */
    abstract int activationBlocks();

    /** Caller thread: readies x (rows x in) for {@link #compute}. */
    abstract void prepare(CpuKernels k, float[] x, int rows, GptqInput in);

    /** y (rows x out) for output tasks [from, to). */
    abstract void compute(CpuKernels k, float[] x, int rows, GptqInput in, float[] y, int from, int to,
                          KernelScratch scratch);

    /** Bytes one matrix-vector product streams. */
    abstract long bytes();

    final void addBias(float[] y, int rows, int n0, int n1) {
        if (bias == null) {
            return;
        }
        for (int m = 0; m < rows; m++) {
            for (int n = n0; n < n1; n++) {
                y[m * out + n] += bias[n];
            }
        }
    }

    static final class Gptq extends CpuLinear {
        final PackedGptq w;

        Gptq(PackedGptq w, float[] bias) {
            super(w.inFeatures(), w.outFeatures(), bias);
            this.w = w;
        }

        @Override
        int tasks() {
            return w.tiles();
        }

        @Override
        int gatherRowLength() {
            return w.paddedRows();
        }

        @Override
        int groups() {
            return w.groups();
        }

        @Override
        int activationBlocks() {
            return w.activationBlocks();
        }

        @Override
        void prepare(CpuKernels k, float[] x, int rows, GptqInput input) {
            if (rows <= CpuKernels.GEMV_ROWS_MAX) {
                for (int m = 0; m < rows; m++) {
                    k.gptqGather(w, x, m * in, input, m);
                }
                return;
            }
            int[] perm = w.perm();
            int kp = perm.length;
            for (int m = 0; m < rows; m++) {
                int xo = m * in;
                int go = m * kp;
                for (int r = 0; r < kp; r++) {
                    int src = perm[r];
                    input.values[go + r] = src < 0 ? 0f : x[xo + src];
                }
            }
        }

        @Override
        void compute(CpuKernels k, float[] x, int rows, GptqInput input, float[] y, int from, int to,
                     KernelScratch scratch) {
            if (rows == 1) {
                k.gptqGemv(w, input, 0, y, 0, from, to);
            } else if (rows <= CpuKernels.GEMV_ROWS_MAX) {
                k.gptqGemvRows(w, input, rows, y, from, to, scratch);
            } else {
                k.gptqGemm(w, input.values, rows, y, from, to, scratch);
            }
            addBias(y, rows, from * PackedGptq.TILE, Math.min(out, to * PackedGptq.TILE));
        }

        @Override
        long bytes() {
            return w.bytes();
        }
    }

    /** A matrix read row by row ([N, K] layout): output rows cut into tasks of {@link #DENSE_ROWS_PER_TASK}. */
    abstract static sealed class ByRows extends CpuLinear permits Dense, Int8 {
        ByRows(int in, int out, float[] bias) {
            super(in, out, bias);
        }

        /** y (rows x out) for output rows [r0, r1). */
        abstract void product(CpuKernels k, float[] x, int rows, float[] y, int r0, int r1, KernelScratch scratch);

        @Override
        final int tasks() {
            return (out + DENSE_ROWS_PER_TASK - 1) / DENSE_ROWS_PER_TASK;
        }

        @Override
        final int gatherRowLength() {
            return 0;
        }

        @Override
        final int groups() {
            return 0;
        }

        @Override
        final int activationBlocks() {
            return 0;
        }

        @Override
        final void prepare(CpuKernels k, float[] x, int rows, GptqInput in) {
        }

        @Override
        final void compute(CpuKernels k, float[] x, int rows, GptqInput in, float[] y, int from, int to,
                           KernelScratch scratch) {
            int r0 = from * DENSE_ROWS_PER_TASK;
            int r1 = Math.min(out, to * DENSE_ROWS_PER_TASK);
            product(k, x, rows, y, r0, r1, scratch);
            addBias(y, rows, r0, r1);
        }
    }

    static final class Dense extends ByRows {
        final DenseRows w;

        Dense(DenseRows w, float[] bias) {
            super(w.cols(), w.rows(), bias);
            this.w = w;
        }

        @Override
        void product(CpuKernels k, float[] x, int rows, float[] y, int r0, int r1, KernelScratch scratch) {
            if (rows == 1) {
                k.denseGemv(w, x, y, r0, r1, scratch);
            } else {
                k.denseGemm(w, x, rows, y, r0, r1, scratch);
            }
        }

        @Override
        long bytes() {
            return w.bytes();
        }
    }

    /** An {@link Int8Rows} matrix (the output head quantized at load). */
    static final class Int8 extends ByRows {
        final Int8Rows w;

        Int8(Int8Rows w, float[] bias) {
            super(w.cols(), w.rows(), bias);
            this.w = w;
        }

        @Override
        void product(CpuKernels k, float[] x, int rows, float[] y, int r0, int r1, KernelScratch scratch) {
            if (rows == 1) {
                k.int8Gemv(w, x, y, r0, r1);
            } else {
                k.int8Gemm(w, x, rows, y, r0, r1, scratch);
            }
        }

        @Override
        long bytes() {
            return w.bytes();
        }
    }
}
