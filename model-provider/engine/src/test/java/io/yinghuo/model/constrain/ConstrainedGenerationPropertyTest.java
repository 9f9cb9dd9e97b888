package io.yinghuo.model.constrain;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.model.generate.CancellationToken;
import io.yinghuo.model.generate.FinishReason;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.Generator;
import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.generate.TextStreamListener;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.testing.SharedData;
import io.yinghuo.model.tokenizer.SentencePieceModel;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property: whatever the logits, a constrained generation through {@link Generator} that ends with STOP is JSON valid
 * against its schema, and one that ends with LENGTH is a prefix of a valid document. Random schemas from the
 * supported subset ({@link RandomSchemas}), random logits ({@link RandomLogitsSession}), random sampling settings;
 * once over the synthetic 512-piece vocabulary (always) and once over the real 55,296-piece Chinese-LLaMA-2 one
 * (skipped when the shared data directory is absent).
 */
class ConstrainedGenerationPropertyTest {

    static SentencePieceTokenizer syntheticTokenizer() {
        byte[] model = SentencePieceModelWriter.small().toByteArray();
        return SentencePieceTokenizer.of(SentencePieceModel.parse(model, "synthetic tokenizer.model"));
    }

    @Test
    void randomSchemasOverTheSyntheticVocabulary() {
        Stats stats = run(syntheticTokenizer(), 300, 2, 300);
        System.out.println("synthetic vocabulary: " + stats);
        assertTrue(stats.stopped >= stats.runs / 3, "too few generations finished: " + stats);
    }

    @Test
    void randomSchemasOverTheRealVocabulary() {
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.load(SharedData.chineseLlama2Tokenizer());
        Stats stats = run(tokenizer, 60, 1, 200);
        System.out.println("Chinese-LLaMA-2 vocabulary: " + stats);
        assertTrue(stats.stopped >= stats.runs / 3, "too few generations finished: " + stats);
    }

    @Test
    void plainJsonOverTheSyntheticVocabulary() {
        SentencePieceTokenizer tokenizer = syntheticTokenizer();
        TokenVocabulary vocabulary = TokenVocabulary.of(tokenizer);
        for (boolean objectOnly : new boolean[] {true, false}) {
            JsonGrammar grammar = objectOnly ? JsonGrammar.anyObject() : JsonGrammar.anyValue();
            for (long seed = 0; seed < 100; seed++) {
                Outcome outcome = generate(tokenizer, vocabulary, grammar, seed, 300);
                JsonNode node = ConstrainedRun.parse(outcome.completedText);
                assertNotNull(node, "not JSON: " + outcome.completedText);
                assertTrue(!objectOnly || node.isObject(), outcome.completedText);
            }
        }
    }

    record Stats(int runs, int stopped, int length, long tokens) {
        @Override
        public String toString() {
            return runs + " generations, " + stopped + " STOP, " + length + " LENGTH (completed and validated), "
                    + tokens + " tokens";
        }
    }

    record Outcome(GenerationResult result, String completedText) {
    }

    private static Stats run(SentencePieceTokenizer tokenizer, int schemas, int seedsPerSchema, int maxNewTokens) {
        TokenVocabulary vocabulary = TokenVocabulary.of(tokenizer);
        int runs = 0;
        int stopped = 0;
        int length = 0;
        long tokens = 0;
        for (long schemaSeed = 0; schemaSeed < schemas; schemaSeed++) {
            JsonNode schema = RandomSchemas.generate(schemaSeed);
            JsonGrammar grammar = JsonGrammar.forSchema(schema);
            SchemaSubsetValidator validator = new SchemaSubsetValidator(schema);
            for (int s = 0; s < seedsPerSchema; s++) {
                long seed = schemaSeed * 1000 + s;
                Outcome outcome = generate(tokenizer, vocabulary, grammar, seed, maxNewTokens);
                String where = "schema " + schema + ", seed " + seed + ", text " + outcome.completedText;
                JsonNode node = ConstrainedRun.parse(outcome.completedText);
                assertNotNull(node, "not JSON: " + where);
                assertNull(validator.check(node), () -> validator.check(node) + " in " + where);
                assertTrue(grammar.matches(outcome.completedText), where);
                runs++;
                tokens += outcome.result.generatedTokens();
                if (outcome.result.finishReason() == FinishReason.STOP) {
                    stopped++;
                } else {
                    length++;
                }
            }
        }
        return new Stats(runs, stopped, length, tokens);
    }

    /**
     * One generation with random logits and random sampling settings. The text of a STOP result is returned as it
     * is; a LENGTH result is first completed ({@link ConstrainedRun#complete}) so that it can be validated.
     */
    static Outcome generate(SentencePieceTokenizer tokenizer, TokenVocabulary vocabulary, JsonGrammar grammar,
                            long seed, int maxNewTokens) {
        SplittableRandom random = new SplittableRandom(seed);
        if (random.nextInt(4) == 0) {
            maxNewTokens = 1 + random.nextInt(Math.min(maxNewTokens, 24)); // cut short: a LENGTH result
        }
        float[] bias = ConstrainedRun.closingBias(vocabulary, random);
        RandomLogitsSession session = new RandomLogitsSession(bias, 1 + 2 * (float) random.nextDouble(), seed, 4096);
        SamplingParams.Builder params = SamplingParams.builder().seed(seed).maxNewTokens(maxNewTokens);
        switch (random.nextInt(4)) {
            case 0 -> params.temperature(0);
            case 1 -> params.temperature(0.7).topK(40).topP(0.9).repetitionPenalty(1.1);
            case 2 -> params.temperature(1.3).topP(0.5);
            default -> params.temperature(1.0);
        }
        TokenConstraint constraint = grammar.newConstraint(vocabulary);
        GenerationResult result = new Generator(session, tokenizer).generate(new int[] {tokenizer.bosId()},
                params.build(), constraint, TextStreamListener.NONE, new CancellationToken());
        String shown = result.text();
        assertEquals(ConstrainedRun.answerText(tokenizer, result.tokenIds()), shown,
                "the answer text is the decoded ids less one leading space");
        if (result.finishReason() == FinishReason.STOP) {
            assertTrue(constraint.canEnd() || constraint.isComplete(), "STOP only when complete: " + shown);
            return new Outcome(result, shown);
        }
        assertEquals(FinishReason.LENGTH, result.finishReason());
        assertEquals(maxNewTokens, result.generatedTokens());
        // At the byte level: a text cut inside a character shows U+FFFD for the partial bytes (the decoder's flush).
        byte[] bytes = ConstrainedRun.answerBytes(vocabulary, result.tokenIds());
        assertTrue(grammar.matchesPrefix(bytes), "a LENGTH text is a viable prefix: " + shown);
        int[] rest = ConstrainedRun.complete(constraint, vocabulary, 20_000, seed);
        assertNotNull(rest, "could not complete " + shown);
        String completed = ConstrainedRun.answerText(tokenizer, ConstrainedRun.concat(result.tokenIds(), rest));
        String whole = shown.replaceAll("\uFFFD+$", ""); // without the partial character's replacement
        assertTrue(completed.startsWith(whole), "completion extends the text: " + shown + " -> " + completed);
        return new Outcome(result, completed);
    }
}
