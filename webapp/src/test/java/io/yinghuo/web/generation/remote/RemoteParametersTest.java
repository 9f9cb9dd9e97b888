package io.yinghuo.web.generation.remote;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What a remote OpenAI-compatible server is sent: OpenAI's own fields, the server's model name, and {@code top_k}
 * and {@code repetition_penalty} as the extra body fields vLLM and llama.cpp read; a 64-bit seed folded into
 * OpenAI's 32-bit one.
 */
class RemoteParametersTest {

    private static OpenAiChatRequestParameters sent(ChatRequest request) {
        return (OpenAiChatRequestParameters) RemoteParameters.forRemote(request, "served-model").parameters();
    }

    @Test
    void samplingSettingsTravelAsOpenAiFieldsAndExtraBodyFields() {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("你好"))
                .parameters(YinghuoChatRequestParameters.builder().modelName("ours").temperature(0.7).topP(0.9)
                        .topK(40).repetitionPenalty(1.1).maxOutputTokens(64).stopSequences(List.of("。"))
                        .seed(7L).build())
                .build();
        OpenAiChatRequestParameters p = sent(request);
        assertEquals("served-model", p.modelName());
        assertEquals(0.7, p.temperature());
        assertEquals(0.9, p.topP());
        assertEquals(64, p.maxOutputTokens());
        assertEquals(List.of("。"), p.stopSequences());
        assertEquals(Map.of("top_k", 40, "repetition_penalty", 1.1), p.customParameters());
        assertEquals(7, p.seed());
    }

    @Test
    void aLongSeedIsFoldedIntoThirtyTwoBits() {
        long seed = (5L << 32) | 3L;
        OpenAiChatRequestParameters p = sent(ChatRequest.builder().messages(UserMessage.from("你好"))
                .parameters(YinghuoChatRequestParameters.builder().seed(seed).build()).build());
        assertEquals(5 ^ 3, p.seed(), "the high half XOR the low half");
    }

    @Test
    void withoutExtrasNoExtraFieldsAreSent() {
        OpenAiChatRequestParameters plain = sent(ChatRequest.builder().messages(UserMessage.from("你好"))
                .parameters(DefaultChatRequestParameters.builder().temperature(0.0).build()).build());
        assertEquals(0.0, plain.temperature());
        assertEquals(Map.of(), plain.customParameters());
        assertNull(plain.seed());

        OpenAiChatRequestParameters onlyTopK = sent(ChatRequest.builder().messages(UserMessage.from("你好"))
                .parameters(YinghuoChatRequestParameters.builder().topK(5).build()).build());
        assertEquals(Map.of("top_k", 5), onlyTopK.customParameters());
        assertNull(onlyTopK.seed());
    }
}
