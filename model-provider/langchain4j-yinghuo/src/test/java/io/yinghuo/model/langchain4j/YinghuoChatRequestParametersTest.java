package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YinghuoChatRequestParametersTest {

    private final YinghuoChatRequestParameters defaults = YinghuoChatRequestParameters.builder()
            .temperature(0.2).topK(40).topP(0.9).maxOutputTokens(400).repetitionPenalty(1.1).seed(7L)
            .stopSequences(List.of("[INST]")).build();

    @Test
    void shouldOverrideWithCommonParametersAndKeepItsOwn() {
        ChatRequestParameters request = ChatRequestParameters.builder().temperature(0.0).maxOutputTokens(5).build();
        YinghuoChatRequestParameters merged = defaults.overrideWith(request);
        assertEquals(0.0, merged.temperature());
        assertEquals(5, merged.maxOutputTokens());
        assertEquals(40, merged.topK());
        assertEquals(1.1, merged.repetitionPenalty());
        assertEquals(7L, merged.seed());
        assertEquals(List.of("[INST]"), merged.stopSequences());
    }

    @Test
    void shouldOverrideWithYinghuoParameters() {
        YinghuoChatRequestParameters request = YinghuoChatRequestParameters.builder().repetitionPenalty(1.0)
                .build();
        YinghuoChatRequestParameters merged = defaults.overrideWith(request);
        assertEquals(1.0, merged.repetitionPenalty());
        assertEquals(7L, merged.seed());
        assertEquals(0.2, merged.temperature());
    }

    @Test
    void shouldKeepItsTypeWhenPlainDefaultsAreOverriddenByIt() {
        ChatRequestParameters plain = DefaultChatRequestParameters.builder().temperature(0.5).topK(3).build();
        ChatRequestParameters merged = plain.overrideWith(
                YinghuoChatRequestParameters.builder().topK(9).seed(3L).build());
        YinghuoChatRequestParameters yinghuo = assertInstanceOf(YinghuoChatRequestParameters.class, merged);
        assertEquals(0.5, yinghuo.temperature());
        assertEquals(9, yinghuo.topK());
        assertEquals(3L, yinghuo.seed());
    }

    @Test
    void shouldBeDefaultedByOtherParameters() {
        YinghuoChatRequestParameters request = YinghuoChatRequestParameters.builder().temperature(1.0).build();
        YinghuoChatRequestParameters merged = request.defaultedBy(defaults);
        assertEquals(1.0, merged.temperature());
        assertEquals(1.1, merged.repetitionPenalty());
        assertEquals(defaults, defaults.overrideWith(YinghuoChatRequestParameters.EMPTY));
        assertNull(YinghuoChatRequestParameters.EMPTY.seed());
    }

    @Test
    void theEngineParametersAreMergedOneByOneAndNullKeepsWhatIsThere() {
        YinghuoChatRequestParameters own = YinghuoChatRequestParameters.builder().dropOldestExchanges(false)
                .responseId("chatcmpl-x").build();
        YinghuoChatRequestParameters merged = defaults.overrideWith(own);
        assertEquals(false, merged.dropOldestExchanges());
        assertEquals("chatcmpl-x", merged.responseId());
        assertEquals(1.1, merged.repetitionPenalty());
        assertEquals(7L, merged.seed());
        YinghuoChatRequestParameters back = merged.overrideWith(YinghuoChatRequestParameters.builder().seed(8L)
                .build());
        assertEquals(false, back.dropOldestExchanges());
        assertEquals("chatcmpl-x", back.responseId());
        assertEquals(8L, back.seed());
        assertEquals(defaults, YinghuoChatRequestParameters.builder().overrideWith(defaults).overrideWith(null)
                .build());
    }

    @Test
    void parametersThatDifferInOneValueAreNotEqual() {
        YinghuoChatRequestParameters base = YinghuoChatRequestParameters.builder().repetitionPenalty(1.1).seed(7L)
                .dropOldestExchanges(true).responseId("a").temperature(0.5).build();
        List<YinghuoChatRequestParameters> changed = List.of(
                base.overrideWith(YinghuoChatRequestParameters.builder().repetitionPenalty(1.2).build()),
                base.overrideWith(YinghuoChatRequestParameters.builder().seed(8L).build()),
                base.overrideWith(YinghuoChatRequestParameters.builder().dropOldestExchanges(false).build()),
                base.overrideWith(YinghuoChatRequestParameters.builder().responseId("b").build()),
                base.overrideWith(ChatRequestParameters.builder().temperature(0.6).build()));
        for (YinghuoChatRequestParameters other : changed) {
            assertNotEquals(base, other, other.toString());
        }
        YinghuoChatRequestParameters same = base.overrideWith(YinghuoChatRequestParameters.EMPTY);
        assertEquals(base, same);
        assertEquals(base.hashCode(), same.hashCode());
        assertNotEquals(base, ChatRequestParameters.builder().temperature(0.5).build());
        assertEquals(base, base);
    }

    @Test
    void toStringShowsTheEngineParametersForLogs() {
        String text = YinghuoChatRequestParameters.builder().repetitionPenalty(1.1).seed(7L)
                .dropOldestExchanges(false).responseId("chatcmpl-x").topK(40).build().toString();
        assertTrue(text.startsWith("YinghuoChatRequestParameters{modelName=null, temperature=null, topP=null,"
                + " topK=40, maxOutputTokens=null, stopSequences=[], repetitionPenalty=1.1, seed=7,"
                + " dropOldestExchanges=false, responseId=chatcmpl-x, frequencyPenalty=null"), text);
    }
}
