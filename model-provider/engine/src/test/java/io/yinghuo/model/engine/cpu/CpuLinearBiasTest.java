package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.weights.DenseLinear;
import io.yinghuo.model.weights.GptqLinear;
import io.yinghuo.model.weights.Linear;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A linear layer's bias (checkpoints of models with biases, or an AutoGPTQ file that stored a real one) is added to
 * every output of every row, in each CPU layout and each product path: one row (GEMV), a few rows, a prompt chunk
 * (GEMM). Before this test no model of the suite had a non-zero bias, so dropping it went unnoticed.
 */
class CpuLinearBiasTest {

    private static final int K = 256;
    private static final int N = 96;

    @ParameterizedTest
    @ValueSource(ints = {1, 3, CpuKernels.GEMV_ROWS_MAX + 5})
    void theBiasIsAddedToEveryOutputOfEveryRowInEachLayout(int rows) {
        Random r = new Random(rows);
        float[] bias = new float[N];
        for (int n = 0; n < N; n++) {
            bias[n] = (float) (r.nextGaussian() * 0.5);
        }
        float[] x = new float[rows * K];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        GptqLinear gptq = RandomLlama.gptq(r, K, N, 4, 64, true, false);
        DenseLinear dense = RandomLlama.dense(r, K, N, DType.F16);
        check("gptq", gptq, withBias(gptq, bias), false, x, rows, bias);
        check("dense", dense, new DenseLinear(dense.weightMatrix(), bias), false, x, rows, bias);
        check("int8", dense, new DenseLinear(dense.weightMatrix(), bias), true, x, rows, bias);
    }

    private static GptqLinear withBias(GptqLinear g, float[] bias) {
        return new GptqLinear(g.inFeatures(), g.outFeatures(), g.bits(), g.groupSize(), g.qweight(), g.qzeros(),
                g.scales(), g.gIdx(), bias, g.zerosStoredMinusOne(), null);
    }

    private static void check(String layout, Linear plain, Linear biased, boolean int8, float[] x, int rows,
                              float[] bias) {
        float[] without = product(cpu(plain, int8), x, rows);
        float[] with = product(cpu(biased, int8), x, rows);
        for (int m = 0; m < rows; m++) {
            for (int n = 0; n < N; n++) {
                int i = m * N + n;
                assertEquals(without[i] + bias[n], with[i], 1e-5f * (1 + Math.abs(with[i])),
                        layout + ", row " + m + " of " + rows + ", output " + n);
            }
        }
    }

    private static CpuLinear cpu(Linear linear, boolean int8) {
        return int8 ? CpuLinear.int8((DenseLinear) linear) : CpuLinear.of(linear);
    }

    private static float[] product(CpuLinear linear, float[] x, int rows) {
        CpuKernels kernels = new ScalarKernels();
        KernelScratch[] scratch = {new KernelScratch(Math.max(K, N), rows), new KernelScratch(Math.max(K, N), rows)};
        GptqInput input = linear instanceof CpuLinear.Gptq g ? GptqInput.forLayer(g.w, rows)
                : new GptqInput(rows, rows, K, 1, 1);
        float[] y = new float[rows * N];
        try (WorkerPool pool = new WorkerPool(2)) {
            new MatmulJob(kernels, scratch, new GptqInput[] {input, input, input}).run(pool, x, rows, linear, y);
        }
        return y;
    }
}
