package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.config.RopeScalingConfig;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.engine.RandomLlama.Spec;
import io.yinghuo.model.engine.cpu.ActivationMode;
import io.yinghuo.model.engine.cpu.CpuBackend;
import io.yinghuo.model.engine.cpu.CpuKernels;
import io.yinghuo.model.engine.cpu.KernelsProvider;
import io.yinghuo.model.engine.rope.RopeSpec;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.weights.LlamaWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole-model logits of the CUDA backend against the CPU backend on the same random weights (skipped without a
 * GPU): every storage variant, GQA, every RoPE mode, prefill in several chunks, decode with and without split
 * attention; plus the session contract and that closing frees all device memory.
 *
 * <p>Tolerance 1e-3 of the largest |logit|, CpuModelTest's bound against the float64 reference: both backends keep
 * fp16 KV caches and fp32 activations and accumulate in fp32 in different orders. The CPU side runs its exact path
 * (float activations; its default quantizes 4-bit decode activations, see ActivationMode).
 */
class CudaModelTest {
    static final double TOLERANCE = 1e-3;
    private static final CpuKernels EXACT_CPU = KernelsProvider.get(ActivationMode.FLOAT);
    private static final Spec BASE = Spec.tiny();

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("gptq 4-bit g32 v1 MHA", BASE.withQuant(4, 32, false, true)),
                Arguments.of("gptq 4-bit g64 act-order GQA", BASE.withQuant(4, 64, true, true).withHeads(4, 2)),
                Arguments.of("gptq 8-bit g32 act-order v2", BASE.withQuant(8, 32, true, false)),
                Arguments.of("gptq 4-bit full group act-order GQA 8/2",
                        BASE.withQuant(4, -1, true, true).withHeads(8, 2)),
                Arguments.of("gptq 8-bit g128 (K=96: one partial group)", BASE.withQuant(8, 128, false, true)),
                Arguments.of("fp16 dense", BASE.dense(DType.F16)),
                Arguments.of("bf16 dense GQA", BASE.dense(DType.BF16).withHeads(4, 1)),
                Arguments.of("fp32 dense", BASE.dense(DType.F32)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void logitsMatchTheCpuBackendInPrefillChunksAndDecode(String name, Spec spec) {
        CudaBackend backend = backend();
        LlamaWeights w = RandomLlama.build(spec);
        int[] prompt = RandomLlama.tokens(new Random(11), 23, spec.vocab());
        for (int chunk : new int[] {256, 5}) {
            EngineOptions options = EngineOptions.defaults().withThreads(2).withPrefillChunk(chunk);
            float[][] cpu = allLogits(new CpuBackend(EXACT_CPU).load(w, options), prompt);
            float[][] gpu = allLogits(backend.load(w, options), prompt);
            for (int i = 0; i < prompt.length; i++) {
                assertLogits(cpu[i], gpu[i], name + " chunk " + chunk + " position " + i);
            }
            float[][] cpuSteps = stepLogits(new CpuBackend(EXACT_CPU).load(w, options), prompt);
            float[][] gpuSteps = stepLogits(backend.load(w, options), prompt);
            for (int i = 0; i < prompt.length; i++) {
                assertLogits(cpuSteps[i], gpuSteps[i], name + " decode step " + i);
            }
        }
    }

    static Stream<Arguments> ropeModes() {
        RopeScalingConfig linear2 = new RopeScalingConfig("linear", 2.0, 0);
        RopeScalingConfig yarn = new RopeScalingConfig("yarn", 4.0, 64);
        return Stream.of(
                Arguments.of("none", null), Arguments.of("linear:2", null), Arguments.of("config linear 2", linear2),
                Arguments.of("dynamic:2", null), Arguments.of("ntk:3", null), Arguments.of("ntk:auto", null),
                Arguments.of("ntk:auto with config linear 2", linear2), Arguments.of("yarn:4", null),
                Arguments.of("config yarn 4, original 64", yarn));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ropeModes")
    void everyRopeModeMatchesTheCpuBackend(String name, RopeScalingConfig scaling) {
        CudaBackend backend = backend();
        Spec spec = BASE.withQuant(4, 32, true, true).withHeads(4, 2).withRope(8, scaling);
        LlamaWeights w = RandomLlama.build(spec);
        int[] prompt = RandomLlama.tokens(new Random(5), 12, spec.vocab());
        RopeSpec rope = name.startsWith("config") ? null : RopeSpec.parse(name.split(" ")[0]);
        EngineOptions options = EngineOptions.defaults().withThreads(2).withRope(rope);
        float[][] cpu = allLogits(new CpuBackend(EXACT_CPU).load(w, options), prompt);
        float[][] gpu = allLogits(backend.load(w, options), prompt);
        float[][] cpuSteps = stepLogits(new CpuBackend(EXACT_CPU).load(w, options), prompt);
        float[][] gpuSteps = stepLogits(backend.load(w, options), prompt);
        for (int i = 0; i < prompt.length; i++) {
            assertLogits(cpu[i], gpu[i], name + " prefill position " + i);
            assertLogits(cpuSteps[i], gpuSteps[i], name + " decode step " + i);
        }
    }

    /** Decode beyond 256 keys takes the split (flash-decoding) attention and its combine kernel. */
    @Test
    void longContextDecodeWithSplitAttentionMatchesTheCpu() {
        CudaBackend backend = backend();
        Spec spec = BASE.withQuant(4, 64, true, true).withHeads(4, 2).withRope(2048, null);
        LlamaWeights w = RandomLlama.build(spec);
        int[] prompt = RandomLlama.tokens(new Random(9), 700, spec.vocab());
        int[] more = RandomLlama.tokens(new Random(10), 6, spec.vocab());
        EngineOptions options = EngineOptions.defaults().withThreads(2).withPrefillChunk(128);
        List<float[]> cpu = prefillThenDecode(new CpuBackend(EXACT_CPU).load(w, options), prompt, more);
        List<float[]> gpu = prefillThenDecode(backend.load(w, options), prompt, more);
        for (int i = 0; i < cpu.size(); i++) {
            assertLogits(cpu.get(i), gpu.get(i), "step " + i + " at context " + (prompt.length + i));
        }
    }

    @Test
    void sessionContractIsTheCpuOne() {
        CudaBackend backend = backend();
        Spec spec = BASE.withQuant(4, 32, true, true);
        LlamaWeights w = RandomLlama.build(spec);
        int[] prompt = RandomLlama.tokens(new Random(3), 10, spec.vocab());
        try (LoadedModel model = backend.load(w, EngineOptions.defaults())) {
            assertThrows(IllegalArgumentException.class, () -> model.newSession(0));
            InferenceSession s = model.newSession(12);
            assertEquals(12, s.capacity());
            assertEquals(spec.vocab(), s.vocabSize());
            float[] first = s.forward(prompt).clone();
            assertEquals(10, s.length());
            IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
                    () -> s.forward(new int[] {1, 2, 3}));
            assertTrue(full.getMessage().contains("capacity of 12"), full.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.forward(new int[] {spec.vocab()}));
            assertThrows(IllegalArgumentException.class, () -> s.forward(new int[0]));
            s.truncate(4);
            int[] tail = new int[6];
            System.arraycopy(prompt, 4, tail, 0, 6);
            assertLogits(first, s.forward(tail), "after truncate(4) and the same 6 tokens again");
            s.close();
            assertThrows(IllegalStateException.class, () -> s.forward(new int[] {1}));
            IllegalStateException huge = assertThrows(IllegalStateException.class,
                    () -> model.newSession(Integer.MAX_VALUE));
            assertTrue(huge.getMessage().contains("KV cache"), huge.getMessage());
        }
    }

    @Test
    void closingModelsAndSessionsFreesAllDeviceMemory() {
        CudaBackend backend = backend();
        CudaDevice device = CudaTestSupport.assumeGpu();
        LlamaWeights w = RandomLlama.build(BASE.withQuant(4, 32, true, true).withShape(256, 512, 4, 4, 4, 1000));
        long allocations = DeviceMemory.liveAllocations();
        long bytes = DeviceMemory.liveBytes();
        long free = device.memoryInfo()[0];
        for (int round = 0; round < 3; round++) {
            LoadedModel a = backend.load(w, EngineOptions.defaults());
            LoadedModel b = backend.load(w, EngineOptions.defaults());
            InferenceSession s = a.newSession(4096);
            a.newSession(1024); // left open: the model's close frees it
            s.forward(new int[] {1, 2, 3});
            b.newSession(64).forward(new int[] {4});
            assertTrue(DeviceMemory.liveBytes() > bytes);
            a.close();
            b.close();
            a.close(); // twice is harmless
            assertEquals(allocations, DeviceMemory.liveAllocations(), "round " + round + ": allocations left");
            assertEquals(bytes, DeviceMemory.liveBytes(), "round " + round + ": bytes left");
        }
        CudaTestSupport.assumeGpu();
        long after = device.memoryInfo()[0];
        assertTrue(Math.abs(free - after) < 64L << 20, "free memory before " + free + ", after " + after);
    }

    private static CudaBackend backend() {
        CudaTestSupport.assumeGpu();
        return (CudaBackend) CudaBackend.open(new DeviceSpec(DeviceSpec.Kind.CUDA, 0), msg -> { });
    }

    static float[][] allLogits(LoadedModel model, int[] prompt) {
        try (model; InferenceSession s = model.newSession(prompt.length)) {
            float[][] got = new float[prompt.length][];
            s.forwardAll(prompt, (i, logits) -> got[i] = logits.clone());
            return got;
        }
    }

    static float[][] stepLogits(LoadedModel model, int[] prompt) {
        try (model; InferenceSession s = model.newSession(prompt.length)) {
            float[][] got = new float[prompt.length][];
            for (int i = 0; i < prompt.length; i++) {
                got[i] = s.forward(new int[] {prompt[i]}).clone();
            }
            return got;
        }
    }

    private static List<float[]> prefillThenDecode(LoadedModel model, int[] prompt, int[] more) {
        try (model; InferenceSession s = model.newSession(prompt.length + more.length)) {
            List<float[]> out = new ArrayList<>();
            out.add(s.forward(prompt).clone());
            for (int t : more) {
                out.add(s.forward(new int[] {t}).clone());
            }
            return out;
        }
    }

    static void assertLogits(float[] expected, float[] got, String what) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - got[i]);
            assertTrue(Float.isFinite(got[i]), what + ": logit " + i + " is " + got[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE * scale, what + ": logit " + at + " differs by " + worst + " (max |logit| "
                + scale + ")");
    }
}
