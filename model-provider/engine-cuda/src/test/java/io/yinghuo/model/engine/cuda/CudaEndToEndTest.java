package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.rope.RopeSpec;
import io.yinghuo.model.generate.Generator;
import io.yinghuo.model.generate.PerplexityEvaluator;
import io.yinghuo.model.generate.PerplexityProgressListener;
import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.runtime.LlamaModel;
import io.yinghuo.model.runtime.ModelOptions;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.GptqFormat;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.synth.Shape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user's path on a GPU (skipped without one): checkpoints written in the published layout, loaded from disk
 * with {@code --device cuda}, against the same files on the CPU backend: logits, greedy generation token for token,
 * and perplexity.
 */
class CudaEndToEndTest {
    private static final DeviceSpec CUDA = new DeviceSpec(DeviceSpec.Kind.CUDA, 0);

    @BeforeEach
    void needsGpu() {
        CudaTestSupport.assumeGpu();
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("4-bit g128 act-order asym gptq", 4, 128, true, false, GptqFormat.GPTQ, null),
                Arguments.of("4-bit g32 sym gptq_v2", 4, 32, false, true, GptqFormat.GPTQ_V2, null),
                Arguments.of("8-bit g64 act-order sym gptq", 8, 64, true, true, GptqFormat.GPTQ, null),
                Arguments.of("4-bit one group asym gptq_v2", 4, -1, false, false, GptqFormat.GPTQ_V2, null),
                Arguments.of("plain fp16", 4, 128, false, true, GptqFormat.GPTQ, DType.F16),
                Arguments.of("plain bf16", 4, 128, false, true, GptqFormat.GPTQ, DType.BF16));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void logitsAndGreedyGenerationMatchTheCpu(String name, int bits, int group, boolean actOrder, boolean sym,
                                              GptqFormat format, DType plain, @TempDir Path dir) throws Exception {
        CheckpointSynthesizer.Builder b = CheckpointSynthesizer.builder().shape(Shape.TINY).bits(bits)
                .groupSize(group).actOrder(actOrder).sym(sym).format(format).seed(7);
        if (plain != null) {
            b.unquantized(plain);
        }
        b.build().write(dir);
        SentencePieceModelWriter.small().write(dir.resolve(LlamaModel.TOKENIZER_FILE));
        int[] prompt = {1, 300, 301, 17, 420, 99, 256, 33, 480, 5};
        ModelOptions options = ModelOptions.defaults().withContextLength(128);
        try (LlamaModel cpu = LlamaModel.load(dir, options.withDevice(DeviceSpec.CPU), msg -> { });
             LlamaModel gpu = LlamaModel.load(dir, options.withDevice(CUDA), msg -> { })) {
            assertTrue(gpu.description().contains("cuda:0"), gpu.description());
            float[] expected;
            float[] got;
            try (InferenceSession s = cpu.newSession()) {
                expected = s.forward(prompt).clone();
            }
            try (InferenceSession s = gpu.newSession()) {
                got = s.forward(prompt).clone();
            }
            CudaModelTest.assertLogits(expected, got, name);

            SamplingParams greedy = SamplingParams.builder().maxNewTokens(40).temperature(0).build();
            int[] cpuTokens;
            int[] gpuTokens;
            try (InferenceSession s = cpu.newSession()) {
                cpuTokens = new Generator(s, cpu.tokenizer()).generate(prompt, greedy).tokenIds();
            }
            try (InferenceSession s = gpu.newSession()) {
                gpuTokens = new Generator(s, gpu.tokenizer()).generate(prompt, greedy).tokenIds();
            }
            assertArrayEquals(cpuTokens, gpuTokens, name + ": greedy tokens differ");

            // argmax decoding straight on the sessions, EOS not stopping it: 40 steps token for token
            assertArrayEquals(argmaxSteps(cpu, prompt, 40), argmaxSteps(gpu, prompt, 40), name + ": 40 argmax steps");
        }
    }

    private static int[] argmaxSteps(LlamaModel model, int[] prompt, int steps) {
        int[] out = new int[steps];
        try (InferenceSession s = model.newSession()) {
            float[] logits = s.forward(prompt);
            for (int i = 0; i < steps; i++) {
                int best = 0;
                for (int v = 1; v < logits.length; v++) {
                    if (logits[v] > logits[best]) {
                        best = v;
                    }
                }
                out[i] = best;
                logits = s.forward(new int[] {best});
            }
        }
        return out;
    }

    static Stream<Arguments> perplexityCases() {
        // ctx 512 within max_position_embeddings; ctx 4096 = 4x beyond it with ntk:auto (alpha 7 at the end)
        return Stream.of(Arguments.of(512, 2048, "none"), Arguments.of(4096, 1024, "ntk:auto"));
    }

    @ParameterizedTest(name = "ctx {0}, max positions {1}, rope {2}")
    @MethodSource("perplexityCases")
    void perplexityAgreesWithTheCpu(int window, int maxPositions, String rope, @TempDir Path dir) throws Exception {
        CheckpointSynthesizer.builder().shape(Shape.TINY).bits(4).groupSize(128).actOrder(true)
                .maxPositionEmbeddings(maxPositions).seed(11).build().write(dir);
        SentencePieceModelWriter.small().write(dir.resolve(LlamaModel.TOKENIZER_FILE));
        Random r = new Random(window);
        int[] ids = new int[window + window / 2];
        ids[0] = 1;
        for (int i = 1; i < ids.length; i++) {
            ids[i] = 3 + r.nextInt(500);
        }
        ModelOptions options = ModelOptions.defaults().withContextLength(window).withRope(RopeSpec.parse(rope));
        double cpuPpl;
        double gpuPpl;
        try (LlamaModel cpu = LlamaModel.load(dir, options.withDevice(DeviceSpec.CPU), msg -> { });
             InferenceSession s = cpu.newSession()) {
            cpuPpl = new PerplexityEvaluator(s, cpu.tokenizer())
                    .evaluateIds(ids, window, PerplexityProgressListener.NONE).ppl();
        }
        try (LlamaModel gpu = LlamaModel.load(dir, options.withDevice(CUDA), msg -> { });
             InferenceSession s = gpu.newSession()) {
            gpuPpl = new PerplexityEvaluator(s, gpu.tokenizer())
                    .evaluateIds(ids, window, PerplexityProgressListener.NONE).ppl();
        }
        assertTrue(Double.isFinite(cpuPpl) && cpuPpl > 1, "cpu perplexity " + cpuPpl);
        assertEquals(cpuPpl, gpuPpl, 1e-3 * cpuPpl, "perplexity at ctx " + window + " with " + rope);
    }
}
