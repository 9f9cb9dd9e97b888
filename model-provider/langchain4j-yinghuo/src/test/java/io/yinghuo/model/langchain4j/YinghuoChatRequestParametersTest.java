package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
