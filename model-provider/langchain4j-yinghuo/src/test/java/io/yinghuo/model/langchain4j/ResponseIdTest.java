package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every response has its own id; a request may name it (what the OpenAI-compatible server does). */
class ResponseIdTest {

    @TempDir
    static Path dir;
    static YinghuoChatModel chat;
    static YinghuoStreamingChatModel streaming;

    @BeforeAll
    static void load() {
        Path folder = TinyChatModel.write(dir);
        chat = YinghuoChatModel.builder().modelPath(folder).device("cpu").threads(1).contextLength(256)
                .temperature(0.0).maxOutputTokens(3).log(line -> { }).build();
        streaming = YinghuoStreamingChatModel.builder().modelPath(folder).device("cpu").threads(1)
                .contextLength(256).temperature(0.0).maxOutputTokens(3).log(line -> { }).build();
    }

    @AfterAll
    static void close() {
        chat.close();
        streaming.close();
    }

    @Test
    void shouldGiveEveryResponseAFreshChatcmplId() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            ids.add(chat.chat(ChatRequest.builder().messages(dev.langchain4j.data.message.UserMessage.from("hi"))
                    .build()).metadata().id());
            RecordingHandler handler = new RecordingHandler();
            streaming.chat("hi", handler);
            ids.add(handler.await().metadata().id());
        }
        assertEquals(6, ids.size(), ids.toString());
        assertTrue(ids.stream().allMatch(id -> id.matches("chatcmpl-[0-9a-f]{32}")), ids.toString());
    }

    @Test
    void shouldUseTheIdARequestNames() throws Exception {
        ChatRequest named = ChatRequest.builder().messages(dev.langchain4j.data.message.UserMessage.from("hi"))
                .parameters(YinghuoChatRequestParameters.builder().responseId("cmpl-abc").build()).build();
        assertEquals("cmpl-abc", chat.chat(named).metadata().id());
        RecordingHandler handler = new RecordingHandler();
        streaming.chat(named, handler);
        ChatResponse response = handler.await();
        assertEquals("cmpl-abc", response.metadata().id());
    }

    @Test
    void shouldRefuseAResponseIdAsADefaultSinceEveryResponseWouldShareIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> YinghuoChatModel.builder()
                .model(chat.model()).defaultRequestParameters(YinghuoChatRequestParameters.builder()
                        .responseId("same").build()).log(line -> { }).build());
        assertTrue(e.getMessage().contains("per-request"), e.getMessage());
    }

    @Test
    void shouldReportProviderOther() {
        assertEquals(ModelProvider.OTHER, chat.provider());
        assertEquals(ModelProvider.OTHER, streaming.provider());
    }
}
