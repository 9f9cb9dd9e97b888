package io.yinghuo.model.generate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a caller of generation sees at the edges: the prompt check accepts ids 0 and vocab - 1 and a prompt that
 * fills the context exactly, and names the first id outside the vocabulary; a finished generation reports its
 * prefill and decode speeds; sampling parameters compare by value and setting stop strings again replaces them.
 */
class GenerationLimitsTest {

    @Test
    void thePromptCheckAcceptsTheWholeVocabularyAndNamesTheFirstIdOutsideIt() {
        assertDoesNotThrow(() -> GenerationRun.checkPrompt(new int[]{0, 7, 3}, 8, 3));
        IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
                () -> GenerationRun.checkPrompt(new int[]{1, 2, 8, 9}, 8, 16));
        assertEquals("prompt token 8 at index 2 is outside the model's vocabulary [0, 8)", past.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> GenerationRun.checkPrompt(new int[]{1, -1}, 8, 16));
        assertEquals("prompt token -1 at index 1 is outside the model's vocabulary [0, 8)", negative.getMessage());
        IllegalArgumentException longer = assertThrows(IllegalArgumentException.class,
                () -> GenerationRun.checkPrompt(new int[]{1, 2, 3, 4}, 8, 3));
        assertTrue(longer.getMessage().startsWith("the prompt has 4"), longer.getMessage());
    }

    @Test
    void aGenerationReportsItsPrefillAndDecodeSpeed() {
        FakeTokenizer tokenizer = new FakeTokenizer();
        int[] prompt = {FakeTokenizer.BOS, FakeTokenizer.X, FakeTokenizer.Y};
        FakeSession session = new FakeSession(FakeTokenizer.VOCAB, 32, FakeSession.scripted(FakeTokenizer.VOCAB,
                prompt.length, FakeTokenizer.HELLO, FakeTokenizer.WORLD, FakeTokenizer.EOS));
        GenerationResult result = new Generator(session, tokenizer).generate(prompt, SamplingParams.greedy(10));
        assertEquals(2, result.generatedTokens());
        assertTrue(result.prefillTokensPerSecond() > 0, "prefill " + result.prefillTokensPerSecond());
        assertTrue(result.decodeTokensPerSecond() > 0, "decode " + result.decodeTokensPerSecond());
    }

    @Test
    void samplingParametersCompareByValueAndStopStringsAreReplaced() {
        SamplingParams a = SamplingParams.builder().temperature(0.7).topK(40).topP(0.9).seed(1L)
                .stopStrings(List.of("问：")).stopStrings(List.of("用户：")).build();
        SamplingParams b = SamplingParams.builder().temperature(0.7).topK(40).topP(0.9).seed(1L)
                .stopStrings(List.of("用户：")).build();
        assertEquals(List.of("用户："), a.stopStrings(), "a second call replaces the first list");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.toString(), b.toString());
        assertTrue(a.toString().contains("0.7"), a.toString());
        assertNotEquals(a, SamplingParams.builder().temperature(0.7).topK(40).topP(0.9).seed(2L)
                .stopStrings(List.of("用户：")).build());
        assertNotEquals(a, "not params");
    }
}
