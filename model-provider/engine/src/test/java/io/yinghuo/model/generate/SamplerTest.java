package io.yinghuo.model.generate;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {

    private static final int[] NO_CONTEXT = new int[0];

    private static SamplingParams.Builder plain() {
        return SamplingParams.builder().temperature(1.0).seed(7L);
    }

    private static double[] softmax(double... x) {
        double max = Arrays.stream(x).max().orElseThrow();
        double[] e = Arrays.stream(x).map(v -> Math.exp(v - max)).toArray();
        double sum = Arrays.stream(e).sum();
        return Arrays.stream(e).map(v -> v / sum).toArray();
    }

    private static void assertProbabilities(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-7, "probability of token " + i + " in " + Arrays.toString(actual));
        }
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOncePerId() {
        Sampler sampler = new Sampler(plain().repetitionPenalty(2.0).build(), 4);
        float[] logits = {2.0f, -2.0f, 1.0f, 0.5f};
        // id 0 appears twice: penalized once (2 -> 1, not 0.5); id 1 is negative: -2 -> -4; ids 2, 3 unseen.
        double[] p = sampler.distribution(logits, new int[]{0, 1, 0}, 3);
        assertProbabilities(softmax(1.0, -4.0, 1.0, 0.5), p);
    }

    @Test
    void repetitionPenaltyOnlyLooksAtTheValidPartOfTheContext() {
        Sampler sampler = new Sampler(plain().repetitionPenalty(2.0).build(), 3);
        double[] p = sampler.distribution(new float[]{1f, 1f, 1f}, new int[]{0, 1, 2}, 1);
        assertProbabilities(softmax(0.5, 1, 1), p);
    }

    @Test
    void repetitionPenaltyAppliesToGreedyDecoding() {
        Sampler sampler = new Sampler(SamplingParams.builder().temperature(0).repetitionPenalty(2.0).build(), 2);
        assertEquals(0, sampler.sample(new float[]{3f, 2f}, NO_CONTEXT, 0));
        assertEquals(1, sampler.sample(new float[]{3f, 2f}, new int[]{0}, 1)); // 3/2 = 1.5 < 2
    }

    @Test
    void temperatureScalesLogits() {
        Sampler sampler = new Sampler(plain().temperature(0.5).build(), 3);
        assertProbabilities(softmax(2, 4, 6), sampler.distribution(new float[]{1, 2, 3}, NO_CONTEXT, 0));
        Sampler hot = new Sampler(plain().temperature(2.0).build(), 3);
        assertProbabilities(softmax(0.5, 1, 1.5), hot.distribution(new float[]{1, 2, 3}, NO_CONTEXT, 0));
    }

    @Test
    void topKKeepsEveryTokenTiedWithTheKthLargest() {
        Sampler sampler = new Sampler(plain().topK(2).build(), 5);
        // Sorted values 5, 3, 3, 3, 1: the 2nd largest is 3, so all three 3s stay and only the 1 goes.
        double[] p = sampler.distribution(new float[]{5, 3, 3, 1, 3}, NO_CONTEXT, 0);
        double[] kept = softmax(5, 3, 3, 3);
        assertProbabilities(new double[]{kept[0], kept[1], kept[2], 0, kept[3]}, p);
    }

    @Test
    void topKWithoutTiesKeepsExactlyK() {
        Sampler sampler = new Sampler(plain().topK(2).build(), 4);
        double[] p = sampler.distribution(new float[]{1, 4, 2, 3}, NO_CONTEXT, 0);
        double[] kept = softmax(4, 3);
        assertProbabilities(new double[]{0, kept[0], 0, kept[1]}, p);
    }

    @Test
    void topKAtLeastTheVocabularyKeepsEverything() {
        float[] logits = {1, 4, 2, 3};
        for (int k : new int[]{4, 5, 1000}) {
            Sampler sampler = new Sampler(plain().topK(k).build(), 4);
            assertProbabilities(softmax(1, 4, 2, 3), sampler.distribution(logits, NO_CONTEXT, 0));
        }
    }

    /** Logits whose softmax is exactly (0.6, 0.3, 0.1) up to rounding. */
    private static final float[] SIX_THREE_ONE = {(float) Math.log(0.6), (float) Math.log(0.3), (float) Math.log(0.1)};

    @Test
    void topPRemovesTokensWhoseAscendingCumulativeProbabilityIsAtMostOneMinusTopP() {
        // Ascending cumulative: 0.1, 0.4, 1.0.
        assertProbabilities(new double[]{1, 0, 0}, topP(0.55));          // limit 0.45 removes 0.1 and 0.4
        assertProbabilities(new double[]{2 / 3.0, 1 / 3.0, 0}, topP(0.65)); // limit 0.35 removes 0.1 only
        assertProbabilities(new double[]{2 / 3.0, 1 / 3.0, 0}, topP(0.85)); // limit 0.15 removes 0.1 only
        assertProbabilities(new double[]{0.6, 0.3, 0.1}, topP(0.95));       // limit 0.05 removes nothing
    }

    @Test
    void topPAlwaysKeepsTheMostLikelyToken() {
        assertProbabilities(new double[]{1, 0, 0}, topP(0.01));
        assertProbabilities(new double[]{1, 0, 0}, topP(1e-9));
        // Even a flat distribution keeps one token: the lowest id counts as the most likely among equals.
        Sampler sampler = new Sampler(plain().topP(0.1).build(), 4);
        assertProbabilities(new double[]{1, 0, 0, 0}, sampler.distribution(new float[]{2, 2, 2, 2}, NO_CONTEXT, 0));
    }

    private static double[] topP(double topP) {
        return new Sampler(plain().topP(topP).build(), 3).distribution(SIX_THREE_ONE, NO_CONTEXT, 0);
    }

    @Test
    void topPActsOnTheTopKSurvivorsAfterTemperature() {
        // Temperature 0.5 doubles the logits: softmax of (2 ln .6, 2 ln .3, 2 ln .1) = (.36, .09, .01)/.46.
        // Top-k 2 leaves (.36, .09)/.45 = (.8, .2); top-p 0.7: ascending cumulative .2 <= .3 is removed.
        Sampler sampler = new Sampler(plain().temperature(0.5).topK(2).topP(0.7).build(), 3);
        assertProbabilities(new double[]{1, 0, 0}, sampler.distribution(SIX_THREE_ONE, NO_CONTEXT, 0));
        // With top-p 0.9 the limit .1 keeps both.
        Sampler wider = new Sampler(plain().temperature(0.5).topK(2).topP(0.9).build(), 3);
        assertProbabilities(new double[]{0.8, 0.2, 0}, wider.distribution(SIX_THREE_ONE, NO_CONTEXT, 0));
    }

    @Test
    void greedyTakesTheArgmaxAndTheLowestIdOnTies() {
        Sampler sampler = new Sampler(SamplingParams.greedy(10), 4);
        assertEquals(1, sampler.sample(new float[]{1, 3, 3, 2}, NO_CONTEXT, 0));
        assertEquals(3, sampler.sample(new float[]{-5, -3, -4, -1}, NO_CONTEXT, 0));
        assertEquals(0, sampler.sample(new float[]{0, 0, 0, 0}, NO_CONTEXT, 0));
    }

    @Test
    void aTemperatureTooSmallToDivideByDecodesGreedily() {
        // 4.9e-324 is 0 as a float and 1e-40 overflows every logit to infinity: both once drew token -1 (a 500
        // from /v1/completions, found by RequestBodyFuzzTest); below 1e-5 the argmax is taken, as at temperature 0.
        for (double t : new double[]{Double.MIN_VALUE, 1e-40, 9.99e-6}) {
            Sampler sampler = new Sampler(plain().temperature(t).topP(0.5).build(), 4);
            assertEquals(1, sampler.sample(new float[]{1, 3, 3, 2}, NO_CONTEXT, 0), "temperature " + t);
            assertEquals(3, sampler.sample(new float[]{-5, -3, -4, -1}, NO_CONTEXT, 0), "temperature " + t);
            assertArrayEquals(new double[]{0, 1, 0, 0}, sampler.distribution(new float[]{1, 3, 3, 2}, NO_CONTEXT, 0));
        }
        // From 1e-5 on it samples: two tied best tokens each get half.
        double[] tied = new Sampler(plain().temperature(1e-5).build(), 4)
                .distribution(new float[]{1, 3, 3, 2}, NO_CONTEXT, 0);
        assertProbabilities(new double[]{0, 0.5, 0.5, 0}, tied);
    }

    @Test
    void sameSeedAndLogitsGiveTheSameTokens() {
        SamplingParams params = SamplingParams.chineseAlpaca2().toBuilder().temperature(1.0).seed(1234L).build();
        Random random = new Random(5);
        float[][] logits = new float[200][300];
        for (float[] row : logits) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) random.nextGaussian() * 2;
            }
        }
        int[] a = drawAll(new Sampler(params, 300), logits);
        int[] b = drawAll(new Sampler(params, 300), logits);
        int[] c = drawAll(new Sampler(params, 300, 4321L), logits);
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
        assertEquals(1234L, new Sampler(params, 300).seed());
    }

    private static int[] drawAll(Sampler sampler, float[][] logits) {
        int[] out = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = sampler.sample(logits[i], out, i);
        }
        return out;
    }

    @Test
    void drawFrequenciesFollowTheProbabilities() {
        // p = (0.25, 0.75): the frequency of token 1 over 20,000 draws has a standard deviation of about 0.003.
        Sampler sampler = new Sampler(plain().seed(99L).build(), 2);
        float[] logits = {0f, (float) Math.log(3)};
        int ones = 0;
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            ones += sampler.sample(logits, NO_CONTEXT, 0);
        }
        double frequency = ones / (double) draws;
        assertTrue(Math.abs(frequency - 0.75) < 0.02, "frequency of the 0.75 token was " + frequency);
    }

    @Test
    void filteredTokensAreNeverDrawn() {
        Sampler sampler = new Sampler(plain().topK(2).seed(3L).build(), 4);
        float[] logits = {1, 4, 2, 3.9f};
        for (int i = 0; i < 2000; i++) {
            int id = sampler.sample(logits, NO_CONTEXT, 0);
            assertTrue(id == 1 || id == 3, "drew filtered token " + id);
        }
    }

    @Test
    void callersLogitsAreNotModified() {
        float[] logits = {2.0f, -2.0f, 1.0f, 0.5f};
        float[] copy = logits.clone();
        Sampler sampler = new Sampler(plain().temperature(0.7).topK(2).topP(0.8).repetitionPenalty(1.3).build(), 4);
        sampler.sample(logits, new int[]{0, 1}, 2);
        sampler.distribution(logits, new int[]{0, 1}, 2);
        assertArrayEquals(copy, logits);
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        Sampler sampler = new Sampler(plain().repetitionPenalty(1.1).build(), 3);
        assertThrows(IllegalArgumentException.class, () -> sampler.sample(new float[4], NO_CONTEXT, 0));
        assertThrows(IllegalArgumentException.class, () -> sampler.sample(new float[3], new int[]{5}, 1));
        assertThrows(IllegalArgumentException.class, () -> sampler.sample(new float[3], new int[]{0}, 2));
        IllegalStateException nan = assertThrows(IllegalStateException.class,
                () -> sampler.sample(new float[]{0, Float.NaN, 0}, NO_CONTEXT, 0));
        assertTrue(nan.getMessage().contains("token 1"), nan.getMessage());
        float ninf = Float.NEGATIVE_INFINITY;
        assertThrows(IllegalStateException.class, () -> sampler.sample(new float[]{ninf, ninf, ninf}, NO_CONTEXT, 0));
    }

    @Test
    void negativeInfinityMasksATokenWithoutBreakingTheRest() {
        Sampler sampler = new Sampler(plain().topK(2).topP(0.9).build(), 3);
        double[] p = sampler.distribution(new float[]{Float.NEGATIVE_INFINITY, 1, 1}, NO_CONTEXT, 0);
        assertProbabilities(new double[]{0, 0.5, 0.5}, p);
    }

    /**
     * The optimized pipeline (heap top-k, top-p sorting only possible survivors) against a literal transcription of
     * transformers' processors on random inputs over a vocabulary large enough for the shortcuts to matter.
     */
    @Test
    void matchesAStraightforwardReferenceOnRandomInputs() {
        Random random = new Random(11);
        int vocab = 3000;
        for (int trial = 0; trial < 60; trial++) {
            float[] logits = new float[vocab];
            double scale = 1 + random.nextDouble() * 8;
            for (int i = 0; i < vocab; i++) {
                logits[i] = (float) (random.nextGaussian() * scale);
            }
            if (trial % 3 == 0) { // coarse values produce many ties
                for (int i = 0; i < vocab; i++) {
                    logits[i] = Math.round(logits[i]);
                }
            }
            int[] context = random.ints(50, 0, vocab).toArray();
            SamplingParams params = plain()
                    .temperature(0.1 + random.nextDouble() * 1.5)
                    .topK(new int[]{0, 1, 5, 40, 50, 2999, 3000}[random.nextInt(7)])
                    .topP(new double[]{1.0, 0.9, 0.5, 0.99, 0.1}[random.nextInt(5)])
                    .repetitionPenalty(new double[]{1.0, 1.1, 1.3}[random.nextInt(3)])
                    .build();
            double[] expected = reference(logits, context, params);
            double[] actual = new Sampler(params, vocab).distribution(logits, context, context.length);
            for (int i = 0; i < vocab; i++) {
                assertEquals(expected[i], actual[i], 1e-9, "token " + i + " with " + params);
            }
        }
    }

    /** transformers' logits_process.py, transcribed as plainly as possible (full sorts, -inf masking). */
    private static double[] reference(float[] logits, int[] context, SamplingParams params) {
        int vocab = logits.length;
        float[] s = logits.clone();
        float penalty = (float) params.repetitionPenalty();
        Set<Integer> seen = new HashSet<>();
        for (int id : context) {
            if (params.repetitionPenalty() != 1.0 && seen.add(id)) {
                s[id] = s[id] < 0 ? s[id] * penalty : s[id] / penalty;
            }
        }
        if (params.temperature() != 1.0) {
            for (int i = 0; i < vocab; i++) {
                s[i] = s[i] / (float) params.temperature();
            }
        }
        if (params.topK() > 0) {
            float[] sorted = s.clone();
            Arrays.sort(sorted);
            float kth = sorted[vocab - Math.min(params.topK(), vocab)];
            for (int i = 0; i < vocab; i++) {
                if (s[i] < kth) {
                    s[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        if (params.topP() < 1.0) {
            double[] probs = softmax(IntStream.range(0, vocab).mapToDouble(i -> s[i]).toArray());
            Integer[] ascending = IntStream.range(0, vocab).boxed().toArray(Integer[]::new);
            Arrays.sort(ascending, Comparator.<Integer>comparingDouble(i -> s[i]).thenComparing(i -> -i));
            double cumulative = 0;
            boolean[] remove = new boolean[vocab];
            for (int r = 0; r < vocab; r++) {
                cumulative += probs[ascending[r]];
                remove[ascending[r]] = cumulative <= 1 - params.topP();
            }
            remove[ascending[vocab - 1]] = false;
            for (int i = 0; i < vocab; i++) {
                if (remove[i]) {
                    s[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return softmax(IntStream.range(0, vocab).mapToDouble(i -> s[i]).toArray());
    }
}
