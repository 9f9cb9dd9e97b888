package io.yinghuo.model.generate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplingParamsTest {

    @Test
    void chineseAlpaca2PresetMatchesInferenceHf() {
        SamplingParams p = SamplingParams.chineseAlpaca2();
        assertEquals(0.2, p.temperature());
        assertEquals(40, p.topK());
        assertEquals(0.9, p.topP());
        assertEquals(1.1, p.repetitionPenalty());
        assertEquals(400, p.maxNewTokens());
        assertNull(p.seed());
        assertTrue(p.stopStrings().isEmpty());
        assertFalse(p.isGreedy());
    }

    @Test
    void fireflyPresetMatchesTheChatScriptWithTransformersDefaultTopK() {
        SamplingParams p = SamplingParams.firefly();
        assertEquals(0.35, p.temperature());
        assertEquals(0.9, p.topP());
        assertEquals(1.0, p.repetitionPenalty());
        assertEquals(500, p.maxNewTokens());
        assertEquals(50, p.topK());
    }

    @Test
    void builderDefaultsTurnEveryFilterOff() {
        SamplingParams p = SamplingParams.builder().build();
        assertEquals(1.0, p.temperature());
        assertEquals(0, p.topK());
        assertEquals(1.0, p.topP());
        assertEquals(1.0, p.repetitionPenalty());
    }

    @Test
    void toBuilderCopiesEverything() {
        SamplingParams p = SamplingParams.chineseAlpaca2().toBuilder().seed(5L).stopStrings("\n\n", "###").build();
        SamplingParams copy = p.toBuilder().build();
        assertEquals(p, copy);
        assertEquals(p.hashCode(), copy.hashCode());
        assertEquals(5L, copy.seed());
        assertEquals(List.of("\n\n", "###"), copy.stopStrings());
        assertTrue(SamplingParams.greedy(3).isGreedy());
    }

    @Test
    void stopStringsAreImmutable() {
        SamplingParams p = SamplingParams.builder().addStopString("x").build();
        assertThrows(UnsupportedOperationException.class, () -> p.stopStrings().add("y"));
    }

    @Test
    void outOfRangeValuesAreRejectedNamingTheField() {
        SamplingParams.Builder b = SamplingParams.builder();
        assertMessage("temperature", () -> b.temperature(-0.1));
        assertMessage("temperature", () -> b.temperature(Double.NaN));
        assertMessage("temperature", () -> b.temperature(Double.POSITIVE_INFINITY));
        assertMessage("topK", () -> b.topK(-1));
        assertMessage("topP", () -> b.topP(0));
        assertMessage("topP", () -> b.topP(1.01));
        assertMessage("topP", () -> b.topP(Double.NaN));
        assertMessage("repetitionPenalty", () -> b.repetitionPenalty(0));
        assertMessage("repetitionPenalty", () -> b.repetitionPenalty(-1));
        assertMessage("maxNewTokens", () -> b.maxNewTokens(0));
        assertMessage("stop strings must be non-empty, got \"\"", () -> b.addStopString(""));
        assertMessage("stop strings must be non-empty, got null", () -> b.addStopString(null));
        assertMessage("surrogate", () -> b.addStopString("a\uD83D"));
        b.addStopString("😀");
    }

    private static void assertMessage(String expectedPart, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }
}
