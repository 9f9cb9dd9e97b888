package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The engine's facts about a call, as a listener, a memory or a server reads them off the response: kept by
 * {@code toBuilder} (LangChain4j's AI services rebuild responses), compared by value, and safe from the caller.
 */
class YinghuoChatResponseMetadataTest {

    private static YinghuoChatResponseMetadata.Builder full() {
        return YinghuoChatResponseMetadata.builder().id("chatcmpl-1").modelName("tiny")
                .tokenUsage(new TokenUsage(12, 5)).finishReason(FinishReason.STOP).droppedExchanges(2)
                .chatTemplate("alpaca2").stopSequence("###").seed(42L).prefill(12, 3_000_000L)
                .decode(4, 500_000_000L).outputTokenIds(new int[] {7, 8, 9, 10});
    }

    @Test
    void toBuilderKeepsEveryFact() {
        YinghuoChatResponseMetadata metadata = full().build();
        YinghuoChatResponseMetadata copy = metadata.toBuilder().build();
        assertEquals(metadata, copy);
        assertEquals(metadata.hashCode(), copy.hashCode());
        assertEquals(2, copy.droppedExchanges());
        assertEquals("alpaca2", copy.chatTemplate());
        assertEquals("###", copy.stopSequence());
        assertEquals(42L, copy.seed());
        assertEquals(12, copy.prefillTokens());
        assertEquals(3_000_000L, copy.prefillNanos());
        assertEquals(4, copy.decodeTokens());
        assertEquals(500_000_000L, copy.decodeNanos());
        assertArrayEquals(new int[] {7, 8, 9, 10}, copy.outputTokenIds());
        assertEquals("chatcmpl-1", copy.id());
        assertEquals(FinishReason.STOP, copy.finishReason());
    }

    @Test
    void metadataThatDifferInOneFactAreNotEqual() {
        YinghuoChatResponseMetadata base = full().build();
        List<UnaryOperator<YinghuoChatResponseMetadata.Builder>> changes = List.of(
                b -> b.droppedExchanges(3), b -> b.chatTemplate("firefly"), b -> b.stopSequence(null),
                b -> b.seed(43L), b -> b.prefill(11, 3_000_000L), b -> b.prefill(12, 3_000_001L),
                b -> b.decode(5, 500_000_000L), b -> b.decode(4, 500_000_001L),
                b -> b.outputTokenIds(new int[] {7, 8, 9, 11}), b -> b.modelName("other"));
        for (UnaryOperator<YinghuoChatResponseMetadata.Builder> change : changes) {
            YinghuoChatResponseMetadata changed = change.apply(full()).build();
            assertNotEquals(base, changed, changed.toString());
            assertNotEquals(changed, base, changed.toString());
        }
        assertNotEquals(base, new Object());
        assertEquals(base, base);
    }

    @Test
    void theTokenIdsAreTheCallersCopy() {
        int[] ids = {1, 2, 3};
        YinghuoChatResponseMetadata metadata = YinghuoChatResponseMetadata.builder().outputTokenIds(ids).build();
        ids[0] = 99;
        metadata.outputTokenIds()[1] = 99;
        assertArrayEquals(new int[] {1, 2, 3}, metadata.outputTokenIds());
        assertArrayEquals(new int[0], YinghuoChatResponseMetadata.builder().build().outputTokenIds());
    }

    @Test
    void decodeSpeedIsTokensPerSecondAndZeroWithoutDecodeTime() {
        assertEquals(8.0, full().build().decodeTokensPerSecond(), 1e-9);
        assertEquals(0.0, full().decode(4, 0).build().decodeTokensPerSecond());
        assertEquals(0.0, full().decode(0, 0).build().decodeTokensPerSecond());
    }

    @Test
    void toStringNamesTheFactsForLogs() {
        assertEquals("YinghuoChatResponseMetadata{modelName=tiny, tokenUsage=" + new TokenUsage(12, 5)
                + ", finishReason=STOP, droppedExchanges=2, chatTemplate=alpaca2, stopSequence=###, seed=42,"
                + " prefillTokens=12, decodeTokens=4}", full().build().toString());
    }
}
