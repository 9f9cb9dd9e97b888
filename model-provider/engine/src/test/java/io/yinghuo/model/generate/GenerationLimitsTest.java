package io.yinghuo.model.generate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        long before = System.nanoTime();
        GenerationResult result = new Generator(session, tokenizer).generate(prompt, SamplingParams.greedy(10));
        long elapsed = System.nanoTime() - before;
        assertEquals(2, result.generatedTokens());
        assertTrue(result.prefillTokensPerSecond() > 0, "prefill " + result.prefillTokensPerSecond());
        assertTrue(result.decodeTokensPerSecond() > 0, "decode " + result.decodeTokensPerSecond());
        // the timings are durations of passes inside the call, not clock readings
        assertTrue(result.prefillNanos() > 0 && result.prefillNanos() <= elapsed, "prefill " + result.prefillNanos());
        assertTrue(result.decodeNanos() > 0 && result.decodeNanos() <= elapsed, "decode " + result.decodeNanos());
    }

    @Test
    void speedsAreTokensPerSecondAndZeroWhenNothingWasTimed() {
        GenerationResult timed = new GenerationResult("", new int[0], FinishReason.STOP, null, 8, 6, 2_000_000_000L,
                5, 500_000_000L, 0);
        assertEquals(3.0, timed.prefillTokensPerSecond(), 1e-12);
        assertEquals(10.0, timed.decodeTokensPerSecond(), 1e-12);
        GenerationResult untimed = new GenerationResult("", new int[0], FinishReason.CANCELLED, null, 8, 6, 0, 5, 0, 0);
        assertEquals(0.0, untimed.prefillTokensPerSecond(), "no time measured: no speed, not infinity");
        assertEquals(0.0, untimed.decodeTokensPerSecond());
    }

    /** Id 0 (LLaMA's unk) is a token like any other: the generation feeds it and goes on. */
    @Test
    void aSampledTokenZeroIsFedAndGenerationGoesOn() {
        int[] prompt = {FakeTokenizer.BOS, FakeTokenizer.X};
        FakeSession session = new FakeSession(FakeTokenizer.VOCAB, 32, FakeSession.scripted(FakeTokenizer.VOCAB,
                prompt.length, FakeTokenizer.HELLO, 0, FakeTokenizer.WORLD, FakeTokenizer.EOS));
        GenerationResult result = new Generator(session, new FakeTokenizer()).generate(prompt,
                SamplingParams.greedy(10));
        assertArrayEquals(new int[] {FakeTokenizer.HELLO, 0, FakeTokenizer.WORLD}, result.tokenIds());
        assertEquals(FinishReason.STOP, result.finishReason());
        assertEquals("Hello world", result.text());
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
