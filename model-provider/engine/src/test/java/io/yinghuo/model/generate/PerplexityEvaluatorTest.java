package io.yinghuo.model.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerplexityEvaluatorTest {

    private static final int VOCAB = 8;
    private static final double HIT = Math.log(5.0 / 12); // the predicted token: e^ln5 / (5 + 7 * e^0)
    private static final double MISS = Math.log(1.0 / 12);

    /**
     * After the token at cache position pos, the model predicts {@code (token + 1 + pos) % 8}: the predictions depend
     * on positions, so a window that did not restart at position 0 would score differently.
     */
    private static final FakeSession.Model MODEL = (tokens, length) -> {
        int pos = length - 1;
        float[] logits = new float[VOCAB];
        logits[(tokens[pos] + 1 + pos) % VOCAB] = (float) Math.log(5);
        return logits;
    };

    /** 'a'..'e' are ids 3..7 (no dummy prefix in this toy). */
    private static final FakeTokenizer LETTERS = new FakeTokenizer(
            text -> text.chars().map(c -> c - 'a' + 3).toArray());

    private final FakeSession session = new FakeSession(VOCAB, 16, MODEL);
    private final PerplexityEvaluator evaluator = new PerplexityEvaluator(session, LETTERS);

    @Test
    void scoresEachWindowAloneAndDropsALastWindowOfOne() {
        // ids [1, 3,5,7, 4,5,7,3, 6]: windows [1,3,5,7] and [4,5,7,3]; the lone [6] is dropped.
        // Window 1: pos0 after 1 predicts 2 (3 misses), pos1 after 3 predicts 5 (hit), pos2 after 5 predicts 0 (7 misses).
        // Window 2 restarts at pos0: after 4 predicts 5 (hit), after 5 at pos1 predicts 7 (hit), after 7 at pos2
        // predicts 2 (3 misses).
        List<String> progress = new ArrayList<>();
        PerplexityResult result = evaluator.evaluate("acebcead", 4,
                (w, count, scored, nll) -> progress.add(w + "/" + count + ":" + scored));
        assertArrayEquals(new double[]{MISS, HIT, MISS, HIT, HIT, MISS}, result.tokenLogprobs(), 1e-6);
        assertEquals(6, result.tokens());
        double nll = -(3 * HIT + 3 * MISS) / 6;
        assertEquals(nll, result.nll(), 1e-6);
        assertEquals(Math.exp(nll), result.ppl(), 1e-5);
        assertEquals(List.of("truncate(0)", "forwardAll@0[1, 3, 5, 7]", "truncate(0)", "forwardAll@0[4, 5, 7, 3]",
                "truncate(0)"), session.calls);
        assertEquals(List.of("0/2:3", "1/2:6"), progress);
    }

    @Test
    void aLastWindowOfTwoIsScoredAndBosComesOnlyOnce() {
        // One more letter: the third window [6, 7] scores 7 after 6 at pos0, predicted 7 (hit).
        PerplexityResult result = evaluator.evaluate("acebceade", 4);
        assertArrayEquals(new double[]{MISS, HIT, MISS, HIT, HIT, MISS, HIT}, result.tokenLogprobs(), 1e-6);
        assertEquals(List.of("truncate(0)", "forwardAll@0[1, 3, 5, 7]", "truncate(0)", "forwardAll@0[4, 5, 7, 3]",
                "truncate(0)", "forwardAll@0[6, 7]", "truncate(0)"), session.calls);
    }

    @Test
    void aTextFillingExactWindowsUsesThemAll() {
        PerplexityResult result = evaluator.evaluate("acebcea", 4); // 8 ids, two full windows
        assertEquals(6, result.tokens());
        assertEquals(2, session.calls.stream().filter(c -> c.startsWith("forwardAll")).count());
    }

    @Test
    void windowsOfTwoScoreOneTokenEach() {
        // ids [1,3 | 5,7 | 4]: after 1 at pos0 predicts 2 (3 misses); after 5 predicts 6 (7 misses); [4] dropped.
        PerplexityResult result = evaluator.evaluate("aceb", 2);
        assertArrayEquals(new double[]{MISS, MISS}, result.tokenLogprobs(), 1e-6);
    }

    @Test
    void windowArithmetic() {
        assertEquals(2, PerplexityEvaluator.windowCount(9, 4));
        assertEquals(3, PerplexityEvaluator.windowCount(10, 4));
        assertEquals(2, PerplexityEvaluator.windowCount(8, 4));
        assertEquals(1, PerplexityEvaluator.windowCount(2, 4));
        assertEquals(0, PerplexityEvaluator.windowCount(1, 4));
        assertEquals(6, PerplexityEvaluator.scoredTokenCount(9, 4));
        assertEquals(7, PerplexityEvaluator.scoredTokenCount(10, 4));
        assertEquals(6, PerplexityEvaluator.scoredTokenCount(8, 4));
        assertEquals(4095, PerplexityEvaluator.scoredTokenCount(4096, 4096));
        assertEquals(4095, PerplexityEvaluator.scoredTokenCount(4097, 4096));
        assertEquals(4096, PerplexityEvaluator.scoredTokenCount(4098, 4096));
    }

    @Test
    void unusableInputIsRejected() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate("", 4));
        assertTrue(empty.getMessage().contains("too short"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate("abc", 1));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> evaluator.evaluate("abc", 17));
        assertTrue(big.getMessage().contains("capacity"), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate("abz", 4)); // id 28 >= vocab 8
    }

    @Test
    void theProgressReportsTheRunningMeanNllAfterEachWindow() {
        // As in scoresEachWindowAloneAndDropsALastWindowOfOne: window 1 scores (MISS, HIT, MISS), window 2
        // (HIT, HIT, MISS); the running mean after each is what a long run prints while it goes.
        List<Double> running = new ArrayList<>();
        PerplexityResult result = evaluator.evaluate("acebcead", 4, (w, count, scored, nll) -> running.add(nll));
        assertEquals(2, running.size());
        assertEquals(-(2 * MISS + HIT) / 3, running.get(0), 1e-6);
        assertEquals(-(3 * HIT + 3 * MISS) / 6, running.get(1), 1e-6);
        assertEquals(result.nll(), running.get(1), 1e-9, "the last running value is the result");
    }

    @Test
    void idsAreCheckedAgainstTheVocabularyByName() {
        // 'f' is id 8, one past the vocabulary of 8; id 0 (the lowest) is fine.
        IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
                () -> evaluator.evaluate("abf", 4));
        assertEquals("token 8 at index 3 is outside the model's vocabulary [0, 8)", past.getMessage());
        assertEquals(2, evaluator.evaluateIds(new int[]{0, 3, 0}, 4, PerplexityProgressListener.NONE).tokens());
    }

    @Test
    void aWindowAsLargeAsTheSessionIsAllowed() {
        PerplexityResult result = evaluator.evaluate("acebceadacebcea", 16); // 16 ids with BOS, one window
        assertEquals(15, result.tokens());
    }

    @Test
    void logSoftmaxIsStableForExtremeLogits() {
        float[] logits = {1000f, 0f, -1000f};
        assertEquals(0.0, PerplexityEvaluator.logSoftmax(logits, 0), 1e-12);
        assertEquals(-1000.0, PerplexityEvaluator.logSoftmax(logits, 1), 1e-9);
        assertEquals(-2000.0, PerplexityEvaluator.logSoftmax(logits, 2), 1e-9);
        assertEquals(Math.log(0.25), PerplexityEvaluator.logSoftmax(new float[]{3, 3, 3, 3}, 2), 1e-12);
    }

    @Test
    void jsonHasTheCommandsFields() throws Exception {
        PerplexityResult result = evaluator.evaluate("acebcead", 4);
        JsonNode json = new ObjectMapper().readTree(result.toJson());
        assertEquals(List.of("tokens", "nll", "ppl", "token_logprobs"), fieldNames(json));
        assertEquals(6, json.get("tokens").asInt());
        assertEquals(result.nll(), json.get("nll").asDouble());
        assertEquals(result.ppl(), json.get("ppl").asDouble());
        assertEquals(6, json.get("token_logprobs").size());
        assertEquals(result.tokenLogprob(1), json.get("token_logprobs").get(1).asDouble());
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
