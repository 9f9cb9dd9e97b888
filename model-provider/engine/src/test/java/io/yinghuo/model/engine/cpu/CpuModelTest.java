package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.config.RopeScalingConfig;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.engine.RandomLlama.Spec;
import io.yinghuo.model.engine.ReferenceLlama;
import io.yinghuo.model.engine.rope.RopeSpec;
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
 * The CPU backend's logits against the float64 {@link ReferenceLlama} on random tiny models.
 *
 * <p>Tolerance: the reference rounds its cached keys and values to fp16 as the backend stores them; what remains
 * is float versus double arithmetic, plus the odd key element that rounds to the neighbouring half because its
 * float value differs in the last bits (one fp16 ulp = 2^-11 relative). Measured: at most 2e-4 of max |logit| on
 * every model and RoPE mode here, so 1e-3 leaves a 5x margin, while a wrong rotation, scaling, head mapping or
 * dequantization moves logits by tens of percent. Against the exact float64 reference (no fp16 cache) the
 * measured deviation is at most 5e-3, checked at 1e-2 in {@link #fp16CacheStaysCloseToTheExactReference}.
 * Decode rows of 4-bit models take integer activations by default ({@link ActivationMode#INT8X2}, about 15 bits per
 * block): their rounding, amplified by these random models, moved decode logits by up to 2.5e-3 of max |logit|, so
 * the default path is held to 1e-2 (a wrong rotation or dequantization still errs by tens of percent), the float
 * path ({@code -Dyinghuo.cpu.activations=float}) to 1e-3.
 */
class CpuModelTest {
    static final double TOLERANCE = KernelsProvider.get().activations().integer() ? 1e-2 : 1e-3;
    private static final Spec BASE = Spec.tiny();

    static Stream<Arguments> models() {
        List<Arguments> list = new ArrayList<>();
        list.add(Arguments.of("gptq 4-bit g32 v1 MHA", BASE.withQuant(4, 32, false, true)));
        list.add(Arguments.of("gptq 4-bit g64 act-order GQA", BASE.withQuant(4, 64, true, true).withHeads(4, 2)));
        list.add(Arguments.of("gptq 8-bit g32 act-order v2", BASE.withQuant(8, 32, true, false)));
        list.add(Arguments.of("gptq 4-bit full group act-order GQA 8/2",
                BASE.withQuant(4, -1, true, true).withHeads(8, 2)));
        list.add(Arguments.of("gptq 8-bit g128 (K=96: one partial group)", BASE.withQuant(8, 128, false, true)));
        list.add(Arguments.of("fp16 dense", BASE.dense(DType.F16)));
        list.add(Arguments.of("bf16 dense GQA", BASE.dense(DType.BF16).withHeads(4, 1)));
        return list.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void logitsMatchTheFloat64Reference(String name, Spec spec) {
        LlamaWeights w = RandomLlama.build(spec);
        int[] prompt = RandomLlama.tokens(new Random(11), 9, spec.vocab());
        double[][] expected = new ReferenceLlama(w, "none", true).forward(prompt);
        try (LoadedModel model = new CpuBackend().load(w, EngineOptions.defaults().withThreads(2));
             InferenceSession s = model.newSession(32)) {
            float[][] got = new float[prompt.length][];
            s.forwardAll(prompt, (i, logits) -> got[i] = logits.clone());
            for (int i = 0; i < prompt.length; i++) {
                assertLogits(expected[i], got[i], name + " position " + i);
            }
            assertEquals(prompt.length, s.length());
        }
    }

    static Stream<Arguments> ropeModes() {
        // max_position_embeddings 8 so that the 12-token prompts run beyond it
        RopeScalingConfig linear2 = new RopeScalingConfig("linear", 2.0, 0);
        RopeScalingConfig yarn = new RopeScalingConfig("yarn", 4.0, 64);
        return Stream.of(
                Arguments.of("none", null, "none"),
                Arguments.of("linear:2", null, "linear:2"),
                Arguments.of("config linear 2", linear2, "linear:2"),
                Arguments.of("dynamic:2", null, "dynamic:2"),
                Arguments.of("ntk:3", null, "ntk:3"),
                Arguments.of("ntk:2.5 with config linear 2", linear2, "ntk:2.5"),
                Arguments.of("ntk:auto", null, "ntk:auto"),
                Arguments.of("ntk:auto with config linear 2", linear2, "ntk:auto"),
                Arguments.of("yarn:4", null, "yarn:4"),
                Arguments.of("config yarn 4, original 64", yarn, "yarn:4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ropeModes")
    void everyRopeModeMatchesTheReferenceInPrefillAndDecode(String name, RopeScalingConfig scaling, String ref) {
        Spec spec = BASE.withQuant(4, 32, true, true).withHeads(4, 2).withRope(8, scaling);
        LlamaWeights w = RandomLlama.build(spec);
        int[] prompt = RandomLlama.tokens(new Random(5), 12, spec.vocab());
        RopeSpec ropeSpec = name.startsWith("config") ? null : RopeSpec.parse(name.split(" ")[0]);
        try (LoadedModel model = new CpuBackend().load(w, EngineOptions.defaults().withThreads(2)
                .withRope(ropeSpec))) {
            // prefill: one call, every key rotated for L = 12
            ReferenceLlama prefillRef = new ReferenceLlama(w, ref, true);
            double[][] expected = prefillRef.forward(prompt);
            float[] prefillLast;
            try (InferenceSession s = model.newSession(16)) {
                float[][] got = new float[prompt.length][];
                s.forwardAll(prompt, (i, logits) -> got[i] = logits.clone());
                for (int i = 0; i < prompt.length; i++) {
                    assertLogits(expected[i], got[i], name + " prefill position " + i);
                }
                prefillLast = got[prompt.length - 1];
            }
            // decode: token by token, each step with its own L; cached keys keep their rotation
            ReferenceLlama decodeRef = new ReferenceLlama(w, ref, true);
            float[] decodeLast = null;
            double[] decodeExpected = null;
            try (InferenceSession s = model.newSession(16)) {
                for (int token : prompt) {
                    decodeExpected = decodeRef.forward(new int[] {token})[0];
                    decodeLast = s.forward(new int[] {token}).clone();
                    assertLogits(decodeExpected, decodeLast, name + " decode at " + s.length());
                }
            }
            double diff = maxDiff(prefillLast, decodeLast) / maxAbs(decodeExpected);
            boolean lengthDependent = ref.startsWith("dynamic") || ref.equals("ntk:auto");
            if (lengthDependent) {
                // beyond max_position_embeddings the prompt's keys used L = 12, the decoded ones L = 1..12
                assertTrue(diff > 1e-3, name + ": prefill and decode should differ beyond Lmax, diff " + diff);
            } else {
                assertTrue(diff < TOLERANCE, name + ": prefill and decode differ by " + diff);
            }
        }
    }

    @Test
    void fp16CacheStaysCloseToTheExactReference() {
        Spec spec = BASE.withQuant(4, 64, true, true).withHeads(4, 2).withRope(8, null);
        LlamaWeights w = RandomLlama.build(spec);
        int[] prompt = RandomLlama.tokens(new Random(21), 12, spec.vocab());
        double[][] exact = new ReferenceLlama(w, "ntk:3", false).forward(prompt);
        try (LoadedModel m = new CpuBackend().load(w, EngineOptions.defaults().withThreads(2)
                .withRope(RopeSpec.parse("ntk:3")));
             InferenceSession s = m.newSession(12)) {
            float[][] got = new float[prompt.length][];
            s.forwardAll(prompt, (i, logits) -> got[i] = logits.clone());
            for (int i = 0; i < prompt.length; i++) {
                double worst = maxDiff(exact[i], got[i]);
                assertTrue(worst <= 1e-2 * maxAbs(exact[i]), "position " + i + ": " + worst);
            }
        }
    }

    @Test
    void chunkedPrefillEqualsOneBatch() {
        Spec spec = BASE.withQuant(4, 32, true, true).withHeads(4, 2);
        LlamaWeights w = RandomLlama.build(spec);
        int[] prompt = RandomLlama.tokens(new Random(9), 10, spec.vocab());
        float[] whole;
        try (LoadedModel m = new CpuBackend().load(w, EngineOptions.defaults().withThreads(2));
             InferenceSession s = m.newSession(16)) {
            whole = s.forward(prompt).clone();
        }
        try (LoadedModel m = new CpuBackend().load(w, EngineOptions.defaults().withThreads(2).withPrefillChunk(3));
             InferenceSession s = m.newSession(16)) {
            float[] chunked = s.forward(prompt);
            assertTrue(maxDiff(whole, chunked) <= 1e-4 * maxAbs(whole), "chunks of 3 vs one batch");
            assertEquals(10, s.length());
        }
    }

    @Test
    void forwardAllAndForwardAgreeOnTheLastPosition() {
        Spec spec = BASE.withQuant(8, 64, false, false);
        LlamaWeights w = RandomLlama.build(spec);
        int[] prompt = RandomLlama.tokens(new Random(2), 7, spec.vocab());
        try (LoadedModel m = new CpuBackend().load(w, EngineOptions.defaults().withThreads(2));
             InferenceSession a = m.newSession(8);
             InferenceSession b = m.newSession(8)) {
            float[] last = a.forward(prompt).clone();
            float[][] all = new float[prompt.length][];
            b.forwardAll(prompt, (i, logits) -> all[i] = logits.clone());
            assertTrue(maxDiff(last, all[6]) <= 1e-5 * maxAbs(last), "forward vs forwardAll");
        }
    }

    @Test
    void truncateForgetsTheTailOfTheCache() {
        Spec spec = BASE.withQuant(4, 32, false, true);
        LlamaWeights w = RandomLlama.build(spec);
        Random r = new Random(4);
        int[] first = RandomLlama.tokens(r, 8, spec.vocab());
        int[] other = RandomLlama.tokens(r, 3, spec.vocab());
        try (LoadedModel m = new CpuBackend().load(w, EngineOptions.defaults().withThreads(2));
             InferenceSession s = m.newSession(16);
             InferenceSession fresh = m.newSession(16)) {
            s.forward(first);
            s.truncate(5);
            assertEquals(5, s.length());
            float[] afterTruncate = s.forward(other).clone();
            int[] combined = new int[8];
            System.arraycopy(first, 0, combined, 0, 5);
            System.arraycopy(other, 0, combined, 5, 3);
            float[] expected = fresh.forward(combined);
            assertTrue(maxDiff(expected, afterTruncate) <= 1e-4 * maxAbs(expected), "truncate(5) then 3 tokens");
            assertThrows(IllegalArgumentException.class, () -> s.truncate(9));
            s.truncate(0);
            assertEquals(0, s.length());
        }
    }

    @Test
    void capacityAndInputErrorsAreClear() {
        Spec spec = BASE.withQuant(4, 32, false, true);
        LlamaWeights w = RandomLlama.build(spec);
        try (LoadedModel m = new CpuBackend().load(w, EngineOptions.defaults().withThreads(2));
             InferenceSession s = m.newSession(4)) {
            IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
                    () -> s.forward(new int[] {1, 2, 3, 4, 5}));
            assertTrue(full.getMessage().contains("capacity of 4"), full.getMessage());
            assertEquals(0, s.length());
            s.forward(new int[] {1, 2, 3, 4});
            assertThrows(IllegalArgumentException.class, () -> s.forward(new int[] {1}));
            IllegalArgumentException badId = assertThrows(IllegalArgumentException.class,
                    () -> m.newSession(4).forward(new int[] {spec.vocab()}));
            assertTrue(badId.getMessage().contains("outside the vocabulary"), badId.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.forward(new int[0]));
            // 30M tokens x 2 layers x 2 x 64 values x 2 bytes = 15.36 GB, beyond any test heap
            IllegalStateException tooBig = assertThrows(IllegalStateException.class,
                    () -> m.newSession(30_000_000));
            assertTrue(tooBig.getMessage().contains("15,360,000,000 bytes"), tooBig.getMessage());
            assertEquals(2L * 2 * 64 * 2, m.kvBytesPerToken());
        }
    }

    /**
     * The figures bandwidth reports are computed from: a decode step of a dense model streams exactly the stored
     * weights (one embedding row, every layer's seven matrices, the head); packed GPTQ layers stream their codes,
     * scales and zeros, about what the checkpoint stores.
     */
    @Test
    void aDecodeStepStreamsTheWeightsOnceAndTheDescriptionSaysHowItRuns() {
        LlamaWeights dense = RandomLlama.build(BASE.dense(DType.F16));
        try (LoadedModel m = new CpuBackend().load(dense, EngineOptions.defaults().withThreads(2))) {
            assertEquals(dense.bytesPerToken(), m.weightBytesPerToken());
            assertTrue(m.description().startsWith("cpu (") && m.description().contains(" kernels, 2 threads, rope "),
                    m.description());
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> m.newSession(0));
            assertEquals("session capacity must be >= 1 token, got 0", none.getMessage());
            try (InferenceSession one = m.newSession(1)) {
                assertEquals(1, one.capacity());
            }
        }
        LlamaWeights gptq = RandomLlama.build(BASE.withQuant(4, 32, true, false));
        try (LoadedModel m = new CpuBackend().load(gptq, EngineOptions.defaults().withThreads(2))) {
            double ratio = (double) m.weightBytesPerToken() / gptq.bytesPerToken();
            assertTrue(ratio > 0.8 && ratio < 1.25, "packed / stored bytes: " + ratio);
        }
    }

    @Test
    void mismatchedWeightsAreRejectedWithTheTensorName() {
        Spec spec = BASE.withQuant(4, 32, false, true);
        LlamaWeights w = RandomLlama.build(spec);
        var bad = new io.yinghuo.model.config.LlamaConfig(64, 128, 2, 4, 4, 50, 1e-5, 10000, 64, null, 1, 2, false);
        LlamaWeights wrong = new LlamaWeights(bad, w.quant(), w.embeddings(), w.layers(), w.finalNorm(), w.lmHead(),
                null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CpuBackend().load(wrong, EngineOptions.defaults()));
        assertTrue(e.getMessage().contains("model.layers.0.mlp.gate_proj"), e.getMessage());
    }

    static void assertLogits(double[] expected, float[] got, String what) {
        double scale = maxAbs(expected);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - got[i]));
        }
        assertTrue(worst <= TOLERANCE * scale, what + ": max error " + worst + " vs max |logit| " + scale);
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double maxDiff(double[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
