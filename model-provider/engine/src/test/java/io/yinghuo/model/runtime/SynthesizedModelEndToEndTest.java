package io.yinghuo.model.runtime;

import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.ReferenceLlama;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.Generator;
import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.GptqFormat;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.synth.Shape;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path a user takes: a checkpoint written in the published file layout, loaded from disk through
 * {@link LlamaModel}, run by the CPU backend, checked against the float64 reference forward pass over the same
 * loaded weights, and used for greedy generation.
 */
class SynthesizedModelEndToEndTest {

    record Variant(String name, int bits, int groupSize, boolean actOrder, boolean sym, GptqFormat format,
                   DType plain) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Variant> variants() {
        return Stream.of(
                new Variant("4-bit g128 act-order asym gptq", 4, 128, true, false, GptqFormat.GPTQ, null),
                new Variant("4-bit g32 sym gptq_v2", 4, 32, false, true, GptqFormat.GPTQ_V2, null),
                new Variant("8-bit g64 act-order sym gptq", 8, 64, true, true, GptqFormat.GPTQ, null),
                new Variant("4-bit one group asym gptq_v2", 4, -1, false, false, GptqFormat.GPTQ_V2, null),
                new Variant("plain fp16", 4, 128, false, true, GptqFormat.GPTQ, DType.F16),
                new Variant("plain bf16", 4, 128, false, true, GptqFormat.GPTQ, DType.BF16));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void loadedModelMatchesTheReferenceAndGeneratesDeterministically(Variant v, @TempDir Path dir) throws Exception {
        CheckpointSynthesizer.Builder b = CheckpointSynthesizer.builder().shape(Shape.TINY).bits(v.bits())
                .groupSize(v.groupSize()).actOrder(v.actOrder()).sym(v.sym()).format(v.format()).seed(7);
        if (v.plain() != null) {
            b.unquantized(v.plain());
        }
        b.build().write(dir);
        SentencePieceModelWriter.small().write(dir.resolve(LlamaModel.TOKENIZER_FILE));

        int[] prompt = {1, 300, 301, 17, 420, 99, 256, 33, 480, 5};
        try (LlamaModel model = LlamaModel.load(dir, ModelOptions.defaults().withDevice(DeviceSpec.CPU)
                .withContextLength(64), msg -> { })) {
            float[] logits;
            try (InferenceSession session = model.newSession()) {
                logits = session.forward(prompt).clone();
            }
            double[][] reference = new ReferenceLlama(model.weights(), "none").forward(prompt);
            double[] expected = reference[prompt.length - 1];
            double scale = 0;
            for (double e : expected) {
                scale = Math.max(scale, Math.abs(e));
            }
            for (int i = 0; i < expected.length; i++) {
                // fp16 KV cache and float accumulation against float64: 1% of the largest logit (the engine's own
                // tests bound the exact-reference error at about 0.5%).
                assertEquals(expected[i], logits[i], 1e-2 * scale, "logit " + i);
            }

            SamplingParams greedy = SamplingParams.greedy(12);
            int[] first;
            int[] second;
            try (InferenceSession session = model.newSession()) {
                GenerationResult r = new Generator(session, model.tokenizer()).generate(prompt, greedy);
                first = r.tokenIds();
                assertTrue(r.generatedTokens() > 0);
            }
            try (InferenceSession session = model.newSession()) {
                second = new Generator(session, model.tokenizer()).generate(prompt, greedy).tokenIds();
            }
            assertArrayEquals(first, second, "greedy decoding must be deterministic");
            int argmax = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[argmax]) {
                    argmax = i;
                }
            }
            if (argmax != model.tokenizer().eosId()) {
                assertEquals(argmax, first[0], "the first greedy token is the argmax of the prefill logits");
            }
        }
    }
}
