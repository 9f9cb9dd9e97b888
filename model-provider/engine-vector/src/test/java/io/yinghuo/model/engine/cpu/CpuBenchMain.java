package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.weights.LlamaWeights;

/**
 * Manual benchmark (not a unit test): the "1.3b" shape of the brief (hidden 4096, intermediate 11008, 4 layers,
 * 32 heads, vocab 55296, GPTQ 4-bit g128 act-order, fp16 lm_head) with random weights built in memory.
 * Run: java --add-modules jdk.incubator.vector -Xmx8g -cp target/classes:target/test-classes
 * io.yinghuo.model.engine.cpu.CpuBenchMain [threads] [prompt] [decode]
 */
public final class CpuBenchMain {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int prompt = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int decode = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        RandomLlama.Spec spec = new RandomLlama.Spec(4096, 11008, 4, 32, 32, 55296, 4096, null, 4, 128, true, true,
                DType.F16, DType.F16, 1);
        long t0 = System.nanoTime();
        LlamaWeights w = RandomLlama.build(spec);
        long t1 = System.nanoTime();
        EngineOptions o = EngineOptions.defaults().withThreads(threads);
        try (LoadedModel m = new CpuBackend().load(w, o)) {
            long t2 = System.nanoTime();
            System.out.printf("built %.1f s, loaded (repacked) %.1f s; checkpoint bytes/token %.3f GB, packed %.3f GB%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, w.bytesPerToken() / 1e9, m.weightBytesPerToken() / 1e9);
            System.out.println(CpuBench.run(m, o.effectiveThreads(), prompt, decode));
        }
    }
}
