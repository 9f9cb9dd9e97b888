package io.yinghuo.model.generate;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Constrained sampling: a token outside the allowed set is never chosen, whatever the settings. */
class SamplerMaskTest {

    private static final int VOCAB = 300;

    private static long[] allowed(int... ids) {
        long[] mask = new long[(VOCAB + 63) / 64];
        for (int id : ids) {
            mask[id >>> 6] |= 1L << (id & 63);
        }
        return mask;
    }

    private static boolean isSet(long[] mask, int id) {
        return (mask[id >>> 6] & (1L << (id & 63))) != 0;
    }

    @Test
    void maskedTokensAreNeverSampledUnderAnySettings() {
        SamplingParams[] settings = {
            SamplingParams.greedy(10),
            SamplingParams.builder().temperature(1).build(),
            SamplingParams.builder().temperature(2.5).topK(5).build(),
            SamplingParams.builder().temperature(0.3).topP(0.5).build(),
            SamplingParams.builder().temperature(1).topK(40).topP(0.9).repetitionPenalty(1.3).build(),
            SamplingParams.builder().temperature(1).topK(1).build(),
        };
        SplittableRandom random = new SplittableRandom(5);
        int[] context = {7, 8, 9, 250};
        for (SamplingParams params : settings) {
            Sampler sampler = new Sampler(params, VOCAB, 42);
            for (int trial = 0; trial < 300; trial++) {
                float[] logits = new float[VOCAB];
                for (int i = 0; i < VOCAB; i++) {
                    logits[i] = (float) (random.nextDouble() * 20 - 10);
                }
                int a = random.nextInt(VOCAB);
                int b = random.nextInt(VOCAB);
                int best = 0; // the unconstrained favourite, made overwhelming
                logits[best] = 1000;
                long[] mask = allowed(a, b, 250);
                int id = sampler.sample(logits, context, context.length, mask);
                assertTrue(isSet(mask, id), params + " sampled masked token " + id);
            }
        }
    }

    @Test
    void greedyTakesTheBestAllowedToken() {
        float[] logits = new float[VOCAB];
        logits[3] = 9;
        logits[100] = 5;
        logits[200] = 4;
        Sampler sampler = new Sampler(SamplingParams.greedy(1), VOCAB, 1);
        assertEquals(100, sampler.sample(logits, new int[0], 0, allowed(100, 200)));
        assertEquals(3, sampler.sample(logits, new int[0], 0, null));
    }

    @Test
    void aMaskShorterThanTheVocabularyDisallowsTheRest() {
        float[] logits = new float[VOCAB];
        logits[299] = 50;
        Sampler sampler = new Sampler(SamplingParams.greedy(1), VOCAB, 1);
        assertEquals(2, sampler.sample(logits, new int[0], 0, new long[] {1L << 2}));
    }

    @Test
    void anEmptyMaskIsAnError() {
        Sampler sampler = new Sampler(SamplingParams.builder().temperature(1).build(), VOCAB, 1);
        assertThrows(IllegalStateException.class,
                () -> sampler.sample(new float[VOCAB], new int[0], 0, new long[(VOCAB + 63) / 64]));
    }
}
