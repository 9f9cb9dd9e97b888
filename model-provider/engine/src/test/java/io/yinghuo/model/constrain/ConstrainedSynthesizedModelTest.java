package io.yinghuo.model.constrain;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.generate.CancellationToken;
import io.yinghuo.model.generate.FinishReason;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.Generator;
import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.generate.TextStreamListener;
import io.yinghuo.model.runtime.LlamaModel;
import io.yinghuo.model.runtime.ModelOptions;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.synth.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: a synthesized tiny GPTQ checkpoint with random weights, loaded from disk and run by the CPU backend
 * through {@link Generator} with a JSON Schema constraint. The weights know nothing of JSON; the constraint alone
 * makes the output valid.
 */
class ConstrainedSynthesizedModelTest {

    private static final String[] SCHEMAS = {
        """
        {"type":"object","properties":{"ok":{"type":"boolean"},"n":{"type":"integer"},
          "color":{"type":"string","enum":["红","green","蓝色"]},"none":{"type":"null"}},
         "required":["ok","n","color"],"additionalProperties":false}""",
        """
        {"type":"array","items":{"anyOf":[{"type":"boolean"},{"type":"null"}]},"minItems":1,"maxItems":3}""",
        """
        {"type":"object","properties":{"name":{"type":"string"},"tags":{"type":"array","items":{"type":"string"}}},
         "required":["name"]}""",
    };

    @Test
    void randomWeightsProduceSchemaValidJson(@TempDir Path dir) throws Exception {
        CheckpointSynthesizer.builder().shape(Shape.TINY).bits(4).groupSize(32).seed(11).build().write(dir);
        SentencePieceModelWriter.small().write(dir.resolve(LlamaModel.TOKENIZER_FILE));
        int stopped = 0;
        try (LlamaModel model = LlamaModel.load(dir, ModelOptions.defaults().withDevice(DeviceSpec.CPU)
                .withContextLength(512), msg -> { })) {
            TokenVocabulary vocabulary = TokenVocabulary.of(model.tokenizer());
            int[] prompt = model.tokenizer().encodePrompt("请用 JSON 回答：");
            for (int s = 0; s < SCHEMAS.length; s++) {
                JsonNode schema = ConstrainedRun.parse(SCHEMAS[s]);
                JsonGrammar grammar = JsonGrammar.forSchema(schema);
                for (long seed = 0; seed < 4; seed++) {
                    // 260 tokens cover the longest text the bounded schemas allow even one byte per token
                    // (12 whitespace runs of 16 bytes in schema 0), so they must end with STOP.
                    SamplingParams params = seed == 0 ? SamplingParams.greedy(260)
                            : SamplingParams.chineseAlpaca2().toBuilder().temperature(1.0).seed(seed)
                            .maxNewTokens(260).build();
                    TokenConstraint constraint = grammar.newConstraint(vocabulary);
                    GenerationResult r;
                    try (InferenceSession session = model.newSession()) {
                        r = new Generator(session, model.tokenizer()).generate(prompt, params, constraint,
                                TextStreamListener.NONE, new CancellationToken());
                    }
                    String where = "schema " + s + " seed " + seed + ": " + r.text();
                    assertTrue(s == 2 || r.finishReason() == FinishReason.STOP, where);
                    if (r.finishReason() == FinishReason.STOP) {
                        stopped++;
                        JsonNode value = ConstrainedRun.parse(r.text());
                        assertNotNull(value, where);
                        assertNull(new SchemaSubsetValidator(schema).check(value), where);
                    } else {
                        assertEquals(FinishReason.LENGTH, r.finishReason(), where);
                        assertTrue(grammar.matchesPrefix(ConstrainedRun.answerBytes(vocabulary, r.tokenIds())),
                                where);
                    }
                }
            }
        }
        assertTrue(stopped >= 8, "STOP results: " + stopped);
    }
}
