package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.engine.RandomLlama;

import java.util.Random;

/**
 * Manual single-thread kernel benchmark (not a unit test): GB/s of the decode GEMV for a 4-bit act-order GPTQ
 * 4096x11008 matrix and an fp16 [55296, 4096] lm_head, vector and scalar kernels.
 */
public final class KernelBenchMain {
    public static void main(String[] args) {
        Random r = new Random(1);
        CpuLinear g = CpuLinear.of(RandomLlama.gptq(r, 4096, 11008, 4, 128, true, true));
        CpuLinear d = CpuLinear.of(RandomLlama.dense(r, 4096, 55296, DType.F16));
        for (CpuKernels k : new CpuKernels[] {KernelsProvider.vectorOrNull(), KernelsProvider.scalar()}) {
            for (CpuLinear lin : new CpuLinear[] {g, d}) {
                KernelScratch s = new KernelScratch(11008, 1);
                float[] x = CpuKernelsTest.randomVector(r, lin.in);
                float[] gather = new float[Math.max(1, lin.gatherRowLength())];
                float[] sums = new float[Math.max(1, lin.groups())];
                float[] y = new float[lin.out];
                double best = 0;
                for (int rep = 0; rep < (k instanceof ScalarKernels ? 3 : 30); rep++) {
                    long t0 = System.nanoTime();
                    lin.prepare(k, x, 1, gather, sums);
                    lin.compute(k, x, 1, gather, sums, y, 0, lin.tasks(), s);
                    long t1 = System.nanoTime();
                    best = Math.max(best, lin.bytes() / ((t1 - t0) / 1e9));
                }
                System.out.printf("%s %s: %.2f GB/s%n", k.name(), lin instanceof CpuLinear.Gptq ? "gptq4" : "fp16",
                        best / 1e9);
            }
        }
    }
}
