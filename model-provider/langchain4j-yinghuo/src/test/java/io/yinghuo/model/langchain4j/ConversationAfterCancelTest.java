package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageType;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.memory.chat.TokenWindowChatMemory;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.chat.Conversation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A stream cancelled through AiServices leaves the user message in the memory without a reply; the next question
 * then follows it directly. The provider merges the two user messages into one turn, so the conversation goes on
 * instead of failing with "message 1 has role USER but ASSISTANT was expected".
 */
class ConversationAfterCancelTest {

    static final String FIRST = "hello world";
    static final String SECOND = "你好，世界";

    @TempDir
    static Path dir;
    static Path folder;
    static final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
    static YinghuoStreamingChatModel model;

    interface Assistant {
        TokenStream chat(String message);
    }

    @BeforeAll
    static void load() {
        folder = TinyChatModel.write(dir);
        model = YinghuoStreamingChatModel.builder().modelPath(folder).device("cpu").threads(1).contextLength(256)
                .temperature(0.0).maxOutputTokens(40).log(line -> { }).listeners(new ChatModelListener() {
                    @Override
                    public void onRequest(ChatModelRequestContext context) {
                        requests.add(context.chatRequest());
                    }
                }).build();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void shouldGoOnAfterACancelledStreamWithAMessageWindowMemory() throws Exception {
        goOnAfterCancel(MessageWindowChatMemory.withMaxMessages(10));
    }

    @Test
    void shouldGoOnAfterACancelledStreamWithATokenWindowMemory() throws Exception {
        goOnAfterCancel(TokenWindowChatMemory.withMaxTokens(1000, model.tokenCountEstimator()));
    }

    /** @return the assistant, to go on with */
    private Assistant goOnAfterCancel(ChatMemory memory) throws Exception {
        // given: a first answer cancelled at its first piece
        requests.clear();
        Assistant assistant = AiServices.builder(Assistant.class).streamingChatModel(model).chatMemory(memory)
                .build();
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        assistant.chat(FIRST)
                .onPartialResponseWithContext((partial, context) -> {
                    context.streamingHandle().cancel();
                    cancelled.complete(null);
                })
                .onCompleteResponse(response -> cancelled.completeExceptionally(new AssertionError("completed")))
                .onError(cancelled::completeExceptionally)
                .start();
        cancelled.get(120, TimeUnit.SECONDS);
        assertEquals(List.of(ChatMessageType.USER), types(memory.messages()), "the question stays, unanswered");

        // when: the next question, and one more after its answer
        ChatResponse second = complete(assistant.chat(SECOND));
        ChatResponse third = complete(assistant.chat(FIRST));

        // then: both answered; the unanswered question joined the next one in a single user turn
        assertEquals(List.of(ChatMessageType.USER, ChatMessageType.USER), types(requests.get(1).messages()));
        int merged = ChatTemplates.alpaca2().encode(Conversation.of(FIRST + MessageMapper.MERGE_SEPARATOR + SECOND),
                model.model().tokenizer()).length;
        assertEquals(merged, second.tokenUsage().inputTokenCount());
        assertFalse(third.aiMessage().text().isEmpty());
        List<ChatMessageType> kept = types(memory.messages());
        assertEquals(List.of(ChatMessageType.USER, ChatMessageType.AI), kept.subList(kept.size() - 2, kept.size()));
        return assistant;
    }

    /**
     * A token window evicts from the front, message by message: here the unanswered question and the one after it
     * go, and the memory starts with the assistant's answer, which the provider reads behind an empty user turn.
     */
    @Test
    void shouldGoOnWhenATokenWindowLeavesTheAssistantFirst() throws Exception {
        Assistant assistant = goOnAfterCancel(TokenWindowChatMemory.withMaxTokens(200, model.tokenCountEstimator()));
        ChatResponse fourth = complete(assistant.chat(SECOND));
        assertEquals(ChatMessageType.AI, requests.get(3).messages().get(0).type(), "evicted down to an answer");
        assertFalse(fourth.aiMessage().text().isEmpty());
    }

    private static ChatResponse complete(TokenStream tokens) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        tokens.onPartialResponse(text -> { }).onCompleteResponse(done::complete).onError(done::completeExceptionally)
                .start();
        return done.get(120, TimeUnit.SECONDS);
    }

    private static List<ChatMessageType> types(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::type).toList();
    }

}
