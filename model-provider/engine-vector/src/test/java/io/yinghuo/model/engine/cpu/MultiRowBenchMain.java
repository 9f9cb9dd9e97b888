package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.engine.RandomLlama;

import java.util.Random;

/**
 * Manual single-thread benchmark (not a unit test) of batched decode rows through a 4-bit act-order GPTQ
 * 4096x11008 matrix: for each row count the time of one product through the path {@link CpuLinear} takes (single-row
 * GEMV, multi-row GEMV up to {@link CpuKernels#GEMV_ROWS_MAX}, dequantizing GEMM above) and through the GEMM, as rows
 * per single-row time ("x" = how many rows cost what one costs alone). Alternates the paths rep by rep and keeps the
 * best of each, since the machine is shared. Then the same for the 8-bit output head of the 1.3b/7B shapes
 * (55,296 x 4096, {@code -Dhead=false} skips it): rows through {@link CpuLinear}'s path (GEMV for one row, the
 * batched product above).
 */
public final class MultiRowBenchMain {
    private static final int REPS = Integer.getInteger("reps", 12);

    public static void main(String[] args) {
        Random r = new Random(1);
        CpuLinear.Gptq g = (CpuLinear.Gptq) CpuLinear.of(RandomLlama.gptq(r, 4096, 11008, 4, 128, true, true));
        CpuKernels k = KernelsProvider.vectorOrNull();
        int maxRows = 16;
        KernelScratch s = new KernelScratch(11008, maxRows);
        float[] x = CpuKernelsTest.randomVector(r, maxRows * g.in);
        GptqInput in = CpuKernelsTest.input(g, maxRows);
        float[] gather = in.values;
        float[] y = new float[maxRows * g.out];
        double single = 0;
        for (int rows : new int[] {1, 2, 4, 8, 12, 16, 8, 4, 1}) {
            // the machine is shared: time slices short enough to run between preemptions (about the same work for
            // every row count) and keep the best of each slice, summed over the matrix
            int slice = Math.max(2, 64 / rows);
            g.prepare(k, x, rows, in);
            long path = 0;
            long gemm = 0;
            for (int t0 = 0; t0 < g.tasks(); t0 += slice) {
                int t1 = Math.min(g.tasks(), t0 + slice);
                long bestPath = Long.MAX_VALUE;
                long bestGemm = Long.MAX_VALUE;
                for (int rep = 0; rep < REPS; rep++) {
                    g.prepare(k, x, rows, in);
                    long a = System.nanoTime();
                    g.compute(k, x, rows, in, y, t0, t1, s);
                    long b = System.nanoTime();
                    bestPath = Math.min(bestPath, b - a);
                    gatherPlain(g, x, rows, gather);
                    long c = System.nanoTime();
                    k.gptqGemm(g.w, gather, rows, y, t0, t1, s);
                    long d = System.nanoTime();
                    bestGemm = Math.min(bestGemm, d - c);
                }
                path += bestPath;
                gemm += bestGemm;
            }
            if (rows == 1) {
                single = path;
            }
            System.out.printf("rows %2d: path %7.2f ms (%.2f x), gemm %7.2f ms (%.2f x)%n", rows, path / 1e6,
                    rows * single / path, gemm / 1e6, rows * single / gemm);
        }
        if (Boolean.parseBoolean(System.getProperty("head", "true"))) {
            head(k, r);
        }
    }

    private static void head(CpuKernels k, Random r) {
        CpuLinear head = CpuLinear.int8(RandomLlama.dense(r, 4096, 55296, io.yinghuo.model.checkpoint.DType.F16));
        int maxRows = 8;
        KernelScratch s = new KernelScratch(55296, maxRows);
        float[] x = CpuKernelsTest.randomVector(r, maxRows * head.in);
        float[] y = new float[maxRows * head.out];
        double single = 0;
        for (int rows : new int[] {1, 2, 4, 8, 4, 1}) {
            int slice = Math.max(8, 256 / rows);
            long total = 0;
            for (int t0 = 0; t0 < head.tasks(); t0 += slice) {
                int t1 = Math.min(head.tasks(), t0 + slice);
                long best = Long.MAX_VALUE;
                for (int rep = 0; rep < REPS; rep++) {
                    long a = System.nanoTime();
                    head.compute(k, x, rows, null, y, t0, t1, s);
                    best = Math.min(best, System.nanoTime() - a);
                }
                total += best;
            }
            if (rows == 1) {
                single = total;
            }
            System.out.printf("head rows %d: %7.2f ms (%.2f x)%n", rows, total / 1e6, rows * single / total);
        }
    }

    private static void gatherPlain(CpuLinear.Gptq g, float[] x, int rows, float[] gather) {
        int[] perm = g.w.perm();
        for (int m = 0; m < rows; m++) {
            for (int i = 0; i < perm.length; i++) {
                gather[m * perm.length + i] = perm[i] < 0 ? 0f : x[m * g.in + perm[i]];
            }
        }
    }
}
