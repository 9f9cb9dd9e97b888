package io.yinghuo.model.constrain;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.model.testing.SharedData;
import io.yinghuo.model.tokenizer.PieceType;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token-level constraint: its masks against a token-by-token reference, EOS, special tokens, leading space. */
class GrammarConstraintTest {

    private static boolean isSet(long[] mask, int id) {
        return (mask[id >>> 6] & (1L << (id & 63))) != 0;
    }

    /** Walks random allowed paths and compares every mask with the slow per-token check. */
    private static int compareMasks(TokenVocabulary vocabulary, JsonGrammar grammar, long seed, int steps) {
        SplittableRandom random = new SplittableRandom(seed);
        GrammarConstraint constraint = (GrammarConstraint) grammar.newConstraint(vocabulary, random.nextBoolean());
        long[] mask = new long[(vocabulary.size() + 63) / 64];
        float[] bias = ConstrainedRun.closingBias(vocabulary, random);
        int checked = 0;
        for (int step = 0; step < steps && !constraint.isComplete(); step++) {
            int count = constraint.fillAllowed(mask);
            int expectedCount = 0;
            int pick = -1;
            float pickScore = Float.NEGATIVE_INFINITY;
            for (int id = 0; id < vocabulary.size(); id++) {
                boolean expected = constraint.allowsSlowly(id);
                assertEquals(expected, isSet(mask, id), "token " + id + " at step " + step + " (seed " + seed + ")");
                if (expected) {
                    expectedCount++;
                    float score = bias[id] + (float) random.nextDouble() * 3;
                    if (score > pickScore) {
                        pickScore = score;
                        pick = id;
                    }
                }
            }
            assertEquals(expectedCount, count);
            assertTrue(count > 0, "a live state allows some token");
            checked++;
            constraint.accept(pick);
            if (pick == vocabulary.eosId()) {
                break;
            }
        }
        return checked;
    }

    @Test
    void masksAgreeWithTheTokenByTokenReferenceOnTheSyntheticVocabulary() {
        TokenVocabulary vocabulary = TokenVocabulary.of(ConstrainedGenerationPropertyTest.syntheticTokenizer());
        int steps = 0;
        for (long seed = 0; seed < 150; seed++) {
            JsonNode schema = RandomSchemas.generate(seed);
            steps += compareMasks(vocabulary, JsonGrammar.forSchema(schema), seed, 200);
        }
        steps += compareMasks(vocabulary, JsonGrammar.anyValue(), 1, 300);
        assertTrue(steps > 1000, "steps checked: " + steps);
    }

    @Test
    void masksAgreeWithTheTokenByTokenReferenceOnTheRealVocabulary() {
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.load(SharedData.chineseLlama2Tokenizer());
        TokenVocabulary vocabulary = TokenVocabulary.of(tokenizer);
        for (long seed = 0; seed < 12; seed++) {
            compareMasks(vocabulary, JsonGrammar.forSchema(RandomSchemas.generate(seed)), seed, 25);
        }
        compareMasks(vocabulary, JsonGrammar.anyObject(), 3, 25);
    }

    /** Masks along a fixed random path, as one long array per step. */
    private static List<long[]> maskTrace(TokenVocabulary vocabulary, JsonGrammar grammar, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        TokenConstraint constraint = grammar.newConstraint(vocabulary);
        List<long[]> trace = new ArrayList<>();
        for (int step = 0; step < 60 && !constraint.isComplete(); step++) {
            long[] mask = new long[(vocabulary.size() + 63) / 64];
            constraint.fillAllowed(mask);
            trace.add(mask);
            int[] allowed = IntStream.range(0, vocabulary.size()).filter(id -> isSet(mask, id))
                    .toArray();
            int pick = allowed[random.nextInt(allowed.length)];
            if (pick == vocabulary.eosId()) {
                break;
            }
            constraint.accept(pick);
        }
        return trace;
    }

    @Test
    void oneGrammarAndVocabularyServeConcurrentGenerations() throws Exception {
        TokenVocabulary vocabulary = TokenVocabulary.of(ConstrainedGenerationPropertyTest.syntheticTokenizer());
        JsonGrammar grammar = JsonGrammar.forSchema(RandomSchemas.generate(7));
        List<List<long[]>> expected = new ArrayList<>();
        for (long seed = 0; seed < 8; seed++) {
            expected.add(maskTrace(vocabulary, grammar, seed));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<long[]>>> futures = new ArrayList<>();
            for (long seed = 0; seed < 8; seed++) {
                long s = seed;
                futures.add(pool.submit(() -> maskTrace(vocabulary, grammar, s)));
            }
            for (int i = 0; i < futures.size(); i++) {
                List<long[]> actual = futures.get(i).get();
                assertEquals(expected.get(i).size(), actual.size());
                for (int step = 0; step < actual.size(); step++) {
                    assertArrayEquals(expected.get(i).get(step), actual.get(step));
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theFirstTokenMayCarryTheSpaceTheGeneratorDrops() {
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.load(SharedData.chineseLlama2Tokenizer());
        TokenVocabulary vocabulary = TokenVocabulary.of(tokenizer);
        int spaceBrace = tokenizer.pieceId("▁{");
        int brace = tokenizer.pieceId("{");
        assertTrue(spaceBrace > 0 && brace > 0);
        long[] mask = new long[(vocabulary.size() + 63) / 64];

        TokenConstraint dropped = JsonGrammar.anyObject().newConstraint(vocabulary);
        dropped.fillAllowed(mask);
        assertTrue(isSet(mask, spaceBrace));
        assertTrue(isSet(mask, brace));
        int oneSpace = tokenizer.pieceId("▁");
        int twoSpaces = tokenizer.pieceId("▁▁");
        assertTrue(oneSpace > 0 && twoSpaces > 0);
        assertTrue(isSet(mask, oneSpace), "the dropped space alone");
        assertFalse(isSet(mask, twoSpaces), "only one space is dropped; JSON may not start with whitespace");
        dropped.accept(spaceBrace);
        dropped.fillAllowed(mask);
        assertTrue(isSet(mask, twoSpaces), "after '{' spaces are ordinary whitespace");
        assertTrue(isSet(mask, tokenizer.pieceId("▁\"")));
        assertFalse(isSet(mask, spaceBrace));

        TokenConstraint kept = JsonGrammar.anyObject().newConstraint(vocabulary, false);
        kept.fillAllowed(mask);
        assertFalse(isSet(mask, spaceBrace));
        assertTrue(isSet(mask, brace));
    }

    @Test
    void specialTokensNeverAndEosOnlyWhenComplete() {
        SentencePieceTokenizer tokenizer = ConstrainedGenerationPropertyTest.syntheticTokenizer();
        TokenVocabulary vocabulary = TokenVocabulary.of(tokenizer);
        TokenConstraint c = JsonGrammar.anyValue().newConstraint(vocabulary);
        long[] mask = new long[(vocabulary.size() + 63) / 64];
        int eos = tokenizer.eosId();
        for (String piece : new String[] {"<0x31>", "<0x32>"}) { // "12": complete, yet more digits may follow
            c.fillAllowed(mask);
            for (int id = 0; id < vocabulary.size(); id++) {
                PieceType type = tokenizer.pieceType(id);
                if ((type == PieceType.CONTROL || type == PieceType.UNKNOWN) && id != eos) {
                    assertFalse(isSet(mask, id), "special token " + tokenizer.piece(id));
                }
            }
            assertFalse(isSet(mask, eos) && !c.canEnd());
            c.accept(tokenizer.pieceId(piece));
        }
        assertTrue(c.canEnd());
        assertFalse(c.isComplete(), "a number may go on");
        c.fillAllowed(mask);
        assertTrue(isSet(mask, eos));
        assertTrue(isSet(mask, tokenizer.pieceId("<0x33>")));

        TokenConstraint object = JsonGrammar.anyObject().newConstraint(vocabulary);
        assertThrows(IllegalArgumentException.class, () -> object.accept(eos), "EOS before the value");
        assertThrows(IllegalArgumentException.class, () -> object.accept(tokenizer.pieceId("<0x31>")));
        object.accept(tokenizer.pieceId("<0x7B>"));
        object.accept(tokenizer.pieceId("<0x7D>"));
        assertTrue(object.isComplete());
        assertEquals(1, object.fillAllowed(mask), "only EOS after a closed object");
        assertTrue(isSet(mask, eos));
        object.accept(eos);
        assertEquals(0, object.fillAllowed(mask));
    }

    @Test
    void aCustomVocabularyOfByteStrings() {
        String[] pieces = {"<eos>", "{", "}", "{}", " {", "\"", "a", "\":", "1", " ", "\"a\":1}"};
        byte[][] bytes = new byte[pieces.length][];
        for (int i = 1; i < pieces.length; i++) {
            bytes[i] = pieces[i].getBytes(StandardCharsets.UTF_8);
        }
        TokenVocabulary vocabulary = new TokenVocabulary(bytes, 0);
        JsonGrammar grammar = JsonGrammar.forSchema(ConstrainedRun.parse(
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]}"));
        TokenConstraint c = grammar.newConstraint(vocabulary);
        long[] mask = new long[1];
        c.fillAllowed(mask);
        assertEquals((1L << 1) | (1L << 4) | (1L << 9), mask[0],
                "'{', ' {' or the dropped space first; not '{}' (a is required)");
        c.accept(4);
        c.fillAllowed(mask);
        assertEquals((1L << 5) | (1L << 9) | (1L << 10), mask[0]);
        c.accept(10);
        assertTrue(c.isComplete());
    }
}
