package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.engine.cpu.vector.VectorKernels;

import java.util.Random;

/**
 * Manual single-thread kernel benchmark (not a unit test), for the activation mode given as argument: GB/s of the
 * decode GEMV (activation preparation included) for a 4-bit act-order GPTQ
 * 4096x11008 matrix, an fp16 [55296, 4096] lm_head and the same head in 8 bits, vector and scalar kernels; then
 * GFLOP/s of the vector prefill GEMM on that GPTQ matrix for batches of 4 rows (four-row register block) and 64
 * rows (eight-row block).
 */
public final class KernelBenchMain {
    public static void main(String[] args) {
        Random r = new Random(1);
        CpuLinear g = CpuLinear.of(RandomLlama.gptq(r, 4096, 11008, 4, 128, true, true));
        CpuLinear d = CpuLinear.of(RandomLlama.dense(r, 4096, 55296, DType.F16));
        CpuLinear q = CpuLinear.int8(RandomLlama.dense(r, 4096, 55296, DType.F16));
        // one activation mode per JVM (argument float, int8x2 or int8; default int8x2): C2 compiles the GEMV for
        // the paths it has seen, so timing several modes in one JVM slows the later ones
        ActivationMode mode = ActivationMode.valueOf(args.length > 0 ? args[0].toUpperCase(java.util.Locale.ROOT)
                : "INT8X2");
        for (CpuKernels k : new CpuKernels[] {new VectorKernels(mode), new ScalarKernels(mode)}) {
            for (CpuLinear lin : new CpuLinear[] {g, d, q}) {
                KernelScratch s = new KernelScratch(11008, 1);
                float[] x = CpuKernelsTest.randomVector(r, lin.in);
                GptqInput in = CpuKernelsTest.input(lin, 1);
                float[] y = new float[lin.out];
                double best = 0;
                for (int rep = 0; rep < (k instanceof ScalarKernels ? 3 : 30); rep++) {
                    long t0 = System.nanoTime();
                    lin.prepare(k, x, 1, in);
                    lin.compute(k, x, 1, in, y, 0, lin.tasks(), s);
                    long t1 = System.nanoTime();
                    best = Math.max(best, lin.bytes() / ((t1 - t0) / 1e9));
                }
                String what = lin instanceof CpuLinear.Gptq ? "gptq4" : lin instanceof CpuLinear.Int8 ? "int8" : "fp16";
                System.out.printf("%s %s: %.2f GB/s%n", k.name(), what, best / 1e9);
            }
        }
        CpuKernels v = KernelsProvider.vectorOrNull();
        for (int rows : new int[] {4, 64, 4, 64}) {
            KernelScratch s = new KernelScratch(11008, rows);
            float[] x = CpuKernelsTest.randomVector(r, rows * g.in);
            GptqInput in = CpuKernelsTest.input(g, rows);
            float[] y = new float[rows * g.out];
            double best = 0;
            for (int rep = 0; rep < 8; rep++) {
                long t0 = System.nanoTime();
                g.prepare(v, x, rows, in);
                g.compute(v, x, rows, in, y, 0, g.tasks(), s);
                long t1 = System.nanoTime();
                best = Math.max(best, 2.0 * rows * g.in * g.out / ((t1 - t0) / 1e9));
            }
            System.out.printf("%s gemm rows=%d: %.1f GFLOP/s%n", v.name(), rows, best / 1e9);
        }
    }
}
