package io.yinghuo.model.generate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Edges of the sampler that random inputs seldom reach: transformers' top-p removes a token whose cumulative
 * probability is exactly 1 - top_p, keeps a small token whose cumulative passes it even among several small ones,
 * and breaks a tie by the lower id also between 0.0 and -0.0; a vocabulary of one token works; the repetition
 * penalty accepts id 0 and names an id just past the vocabulary.
 */
class SamplerEdgesTest {

    private static final int[] NO_CONTEXT = new int[0];

    private static SamplingParams.Builder plain() {
        return SamplingParams.builder().temperature(1.0).seed(3L);
    }

    private static void assertProbabilities(double[] expected, double[] actual) {
        assertArrayEquals(expected, actual, 1e-9, java.util.Arrays.toString(actual));
    }

    @Test
    void topPRemovesATokenWhoseCumulativeProbabilityIsExactlyOneMinusTopP() {
        // Four equal tokens, top-p 0.5: ascending cumulative 0.25, 0.5 (<= 0.5, removed), 0.75: two stay, the lower
        // ids (the more likely among equals). Every number here is exact in binary.
        Sampler sampler = new Sampler(plain().topP(0.5).build(), 4);
        assertProbabilities(new double[]{0.5, 0.5, 0, 0}, sampler.distribution(new float[]{1, 1, 1, 1}, NO_CONTEXT, 0));
    }

    @Test
    void topPKeepsTheSmallTokenWhoseCumulativeProbabilityPassesTheLimit() {
        // (0.865, 0.040, 0.047, 0.048), top-p 0.9: ascending cumulative 0.040 and 0.087 are removed, 0.135 passes
        // 0.1, so 0.048 stays although it is small next to the others.
        double[] p = {0.865, 0.040, 0.047, 0.048};
        float[] logits = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            logits[i] = (float) Math.log(p[i]);
        }
        double[] kept = new Sampler(plain().topP(0.9).build(), 4).distribution(logits, NO_CONTEXT, 0);
        assertEquals(0.865 / (0.865 + 0.048), kept[0], 1e-6);
        assertEquals(0, kept[1]);
        assertEquals(0, kept[2]);
        assertEquals(0.048 / (0.865 + 0.048), kept[3], 1e-6);
    }

    @Test
    void minusZeroAndZeroAreATieWonByTheLowerId() {
        Sampler sampler = new Sampler(plain().topP(0.1).build(), 2);
        assertProbabilities(new double[]{1, 0}, sampler.distribution(new float[]{-0.0f, 0.0f}, NO_CONTEXT, 0));
        assertProbabilities(new double[]{1, 0}, sampler.distribution(new float[]{0.0f, -0.0f}, NO_CONTEXT, 0));
    }

    @Test
    void aVocabularyOfOneTokenAlwaysGivesIt() {
        Sampler sampler = new Sampler(plain().topK(5).topP(0.9).build(), 1);
        assertEquals(0, sampler.sample(new float[]{-3f}, new int[]{0}, 1));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new Sampler(plain().build(), 0));
        assertEquals("vocabSize must be >= 1, got 0", none.getMessage());
    }

    @Test
    void theRepetitionPenaltyTakesIdZeroAndNamesAnIdPastTheVocabulary() {
        Sampler sampler = new Sampler(plain().repetitionPenalty(2.0).build(), 3);
        // id 0 was seen: its logit 2 is halved to 1, so softmax(1, 1, 0).
        double e = Math.E;
        assertProbabilities(new double[]{e / (2 * e + 1), e / (2 * e + 1), 1 / (2 * e + 1)},
                sampler.distribution(new float[]{2, 1, 0}, new int[]{0}, 1));
        IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
                () -> sampler.sample(new float[3], new int[]{1, 3}, 2));
        assertEquals("context id 3 at index 1 is outside the vocabulary [0, 3)", past.getMessage());
    }
}
