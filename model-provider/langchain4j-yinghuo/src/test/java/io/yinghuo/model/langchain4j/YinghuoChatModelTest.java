package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.chat.Exchange;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.runtime.LlamaModel;
import io.yinghuo.model.runtime.ModelOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link YinghuoChatModel} on a synthesized tiny model, in the style of LangChain4j's provider tests. */
class YinghuoChatModelTest {

    static final int CONTEXT = 256;
    static final String QUESTION = "你好，世界";

    @TempDir
    static Path dir;
    static Path folder;
    static YinghuoChatModel model;

    @BeforeAll
    static void load() {
        folder = TinyChatModel.write(dir);
        model = greedyBuilder().build();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static YinghuoChatModel.YinghuoChatModelBuilder greedyBuilder() {
        return YinghuoChatModel.builder().modelPath(folder).device("cpu").threads(1).contextLength(CONTEXT)
                .temperature(0.0).maxOutputTokens(6).log(line -> { });
    }

    @Test
    void shouldAnswerAndReportTokenUsageAndFinishReason() {
        // when
        ChatResponse response = model.chat(UserMessage.from(QUESTION));

        // then
        assertFalse(response.aiMessage().text().isEmpty());
        assertEquals(TinyChatModel.FOLDER, response.modelName());
        int promptTokens = ChatTemplates.alpaca2().encode(Conversation.of(QUESTION), model.model().tokenizer()).length;
        assertEquals(promptTokens, response.tokenUsage().inputTokenCount());
        assertEquals(FinishReason.LENGTH, response.finishReason());
        assertEquals(6, response.tokenUsage().outputTokenCount());
        YinghuoChatResponseMetadata metadata = assertInstanceOf(YinghuoChatResponseMetadata.class,
                response.metadata());
        assertEquals("alpaca2", metadata.chatTemplate(), "detected from the folder name");
        assertEquals(0, metadata.droppedExchanges());
    }

    @Test
    void shouldBeDeterministicWithTemperature0AndWithASeed() {
        assertEquals(model.chat(QUESTION), model.chat(QUESTION));

        ChatRequest seeded = ChatRequest.builder().messages(UserMessage.from(QUESTION))
                .parameters(YinghuoChatRequestParameters.builder().temperature(1.5).topK(0).topP(1.0).seed(42L)
                        .maxOutputTokens(12).build())
                .build();
        ChatResponse first = model.chat(seeded);
        assertEquals(first.aiMessage().text(), model.chat(seeded).aiMessage().text());
        assertEquals(42L, ((YinghuoChatResponseMetadata) first.metadata()).seed());
    }

    @Test
    void shouldUseFamilyDefaultsThenBuilderDefaultsThenSetters() {
        try (YinghuoChatModel plain = YinghuoChatModel.builder().modelPath(folder).device("cpu").threads(1)
                .contextLength(CONTEXT).log(line -> { }).build()) {
            YinghuoChatRequestParameters p = plain.defaultRequestParameters();
            assertEquals(0.2, p.temperature());
            assertEquals(40, p.topK());
            assertEquals(0.9, p.topP());
            assertEquals(1.1, p.repetitionPenalty());
            assertEquals(400, p.maxOutputTokens());
            assertEquals(TinyChatModel.FOLDER, p.modelName());
        }
        try (YinghuoChatModel configured = YinghuoChatModel.builder().modelPath(folder).device("cpu").threads(1)
                .contextLength(CONTEXT).log(line -> { })
                .defaultRequestParameters(YinghuoChatRequestParameters.builder().temperature(0.7).topK(5)
                        .repetitionPenalty(1.3).build())
                .topK(7)
                .build()) {
            YinghuoChatRequestParameters p = configured.defaultRequestParameters();
            assertEquals(0.7, p.temperature(), "from defaultRequestParameters");
            assertEquals(7, p.topK(), "the setter wins over defaultRequestParameters");
            assertEquals(1.3, p.repetitionPenalty());
            assertEquals(0.9, p.topP(), "family default");
        }
    }

    @Test
    void shouldLetRequestParametersOverrideTheDefaults() {
        // given
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(QUESTION)).maxOutputTokens(3).build();

        // when
        ChatResponse response = model.chat(request);

        // then
        assertEquals(FinishReason.LENGTH, response.finishReason());
        assertEquals(3, response.tokenUsage().outputTokenCount());
        String longer = model.chat(QUESTION);
        assertTrue(longer.startsWith(response.aiMessage().text()), "greedy: the shorter answer is a prefix");
    }

    @Test
    void shouldStopAtAStopSequence() {
        // given: the greedy answer, and a piece of it as stop sequence
        ChatRequest base = ChatRequest.builder().messages(UserMessage.from(QUESTION)).maxOutputTokens(12).build();
        String full = model.chat(base).aiMessage().text();
        assertTrue(full.codePointCount(0, full.length()) >= 3, "answer long enough: " + full);
        int cut = full.offsetByCodePoints(0, 2);
        String stop = full.substring(cut, full.offsetByCodePoints(cut, 1));
        String expected = full.substring(0, full.indexOf(stop));

        // when
        ChatResponse response = model.chat(base.toBuilder().parameters(ChatRequestParameters.builder()
                .maxOutputTokens(12).stopSequences(stop).build()).build());

        // then
        assertEquals(expected, response.aiMessage().text());
        assertEquals(FinishReason.STOP, response.finishReason());
        assertEquals(stop, ((YinghuoChatResponseMetadata) response.metadata()).stopSequence());
    }

    @Test
    void shouldNotifyListenersOfRequestResponseAndError() {
        // given
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<Object> seen = Collections.synchronizedList(new ArrayList<>());
        ChatModelListener listener = new ChatModelListener() {
            @Override
            public void onRequest(ChatModelRequestContext context) {
                events.add("request");
                seen.add(context.chatRequest());
                context.attributes().put("id", "x");
            }

            @Override
            public void onResponse(ChatModelResponseContext context) {
                events.add("response:" + context.attributes().get("id"));
                seen.add(context.chatResponse());
            }

            @Override
            public void onError(ChatModelErrorContext context) {
                events.add("error:" + context.attributes().get("id"));
                seen.add(context.error());
            }
        };
        try (YinghuoChatModel observed = greedyBuilder().listeners(listener).build()) {
            // when
            ChatResponse response = observed.chat(UserMessage.from(QUESTION));
            // then: the listener saw the merged request (defaults filled in) and the response
            assertEquals(List.of("request", "response:x"), events);
            ChatRequest request = (ChatRequest) seen.get(0);
            assertEquals(0.0, request.temperature());
            assertEquals(6, request.maxOutputTokens());
            assertSame(response, seen.get(1));

            // when: a request the model refuses
            events.clear();
            seen.clear();
            ChatRequest withPenalty = ChatRequest.builder().messages(UserMessage.from(QUESTION))
                    .frequencyPenalty(0.5).build();
            assertThrows(UnsupportedFeatureException.class, () -> observed.chat(withPenalty));
            // then
            assertEquals(List.of("request", "error:x"), events);
            assertInstanceOf(UnsupportedFeatureException.class, seen.get(1));
        }
    }

    @Test
    void shouldRefuseOpenaiPenaltiesAndBadValuesClearly() {
        UnsupportedFeatureException penalty = assertThrows(UnsupportedFeatureException.class, () -> model.chat(
                ChatRequest.builder().messages(UserMessage.from(QUESTION)).frequencyPenalty(0.5).build()));
        assertTrue(penalty.getMessage().contains("repetitionPenalty"), penalty.getMessage());
        assertThrows(UnsupportedFeatureException.class, () -> model.chat(
                ChatRequest.builder().messages(UserMessage.from(QUESTION)).presencePenalty(0.5).build()));
        InvalidRequestException badTopP = assertThrows(InvalidRequestException.class, () -> model.chat(
                ChatRequest.builder().messages(UserMessage.from(QUESTION)).topP(0.0).build()));
        assertTrue(badTopP.getMessage().contains("topP"), badTopP.getMessage());
    }

    @Test
    void shouldDropTheOldestExchangesToFitTheContextAndRefuseWhatCannotFit() {
        // given: a history far longer than the 256-token context
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from("Be brief."));
        for (int i = 0; i < 12; i++) {
            messages.add(UserMessage.from("question " + i + " hello world and the world"));
            messages.add(AiMessage.from("answer " + i + " the world is in the world of hello"));
        }
        messages.add(UserMessage.from(QUESTION));

        // when
        ChatResponse response = model.chat(messages);

        // then
        YinghuoChatResponseMetadata metadata = (YinghuoChatResponseMetadata) response.metadata();
        assertTrue(metadata.droppedExchanges() > 0 && metadata.droppedExchanges() < 12, metadata.toString());
        assertTrue(response.tokenUsage().inputTokenCount() <= CONTEXT - 6);
        Conversation kept = new Conversation("Be brief.", exchanges(12).subList(metadata.droppedExchanges(), 12),
                QUESTION);
        assertEquals(ChatTemplates.alpaca2().encode(kept, model.model().tokenizer()).length,
                response.tokenUsage().inputTokenCount(), "exactly the newest exchanges that fit are kept");

        // when: the question alone is too long
        String huge = "hello world ".repeat(200);
        ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class,
                () -> model.chat(huge));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertEquals(CONTEXT, e.contextLength());
        assertTrue(e.promptTokens() > CONTEXT - 6, e.getMessage());
    }

    private static List<Exchange> exchanges(int n) {
        List<Exchange> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Exchange("question " + i + " hello world and the world",
                    "answer " + i + " the world is in the world of hello"));
        }
        return list;
    }

    @Test
    void shouldUseTheBuilderSystemPromptWhenTheRequestHasNone() {
        try (YinghuoChatModel custom = greedyBuilder().systemPrompt("You answer in one word.").build()) {
            ChatResponse response = custom.chat(UserMessage.from(QUESTION));
            int expected = ChatTemplates.alpaca2().encode(Conversation.of("You answer in one word.", QUESTION),
                    custom.model().tokenizer()).length;
            assertEquals(expected, response.tokenUsage().inputTokenCount());
            ChatResponse explicit = custom.chat(SystemMessage.from("Hi."), UserMessage.from(QUESTION));
            assertEquals(ChatTemplates.alpaca2().encode(Conversation.of("Hi.", QUESTION),
                    custom.model().tokenizer()).length, explicit.tokenUsage().inputTokenCount());
        }
    }

    @Test
    void shouldShareTheWeightsOfOneFolderAndFreeThemAfterTheLastClose() {
        YinghuoChatModel second = greedyBuilder().modelPath(folder.getParent().resolve(".").resolve(TinyChatModel.FOLDER))
                .build();
        YinghuoStreamingChatModel streaming = YinghuoStreamingChatModel.builder().modelPath(folder).device("cpu")
                .threads(1).contextLength(CONTEXT).log(line -> { }).build();
        try {
            assertSame(model.model(), second.model());
            assertSame(model.model().loaded(), streaming.model().loaded());
        } finally {
            second.close();
            streaming.close();
        }
        assertFalse(model.chat(QUESTION).isEmpty(), "the first model still works after the others closed");

        try (YinghuoChatModel otherContext = greedyBuilder().contextLength(128).build()) {
            assertNotEquals(model.model(), otherContext.model(), "other options are another load");
        }
    }

    @Test
    void shouldServeAnAlreadyLoadedModelWithoutClosingIt() {
        try (LlamaModel loaded = LlamaModel.load(folder, ModelOptions.defaults().withDevice(DeviceSpec.CPU)
                .withThreads(1).withContextLength(CONTEXT), line -> { })) {
            YinghuoChatModel attached = YinghuoChatModel.builder().model(loaded).temperature(0.0).maxOutputTokens(6)
                    .log(line -> { }).build();
            assertEquals(model.chat(QUESTION), attached.chat(QUESTION), "same weights, same greedy answer");
            attached.close();
            assertNotNull(loaded.newSession(8), "the caller's model is still open");
            assertThrows(IllegalArgumentException.class, () -> YinghuoChatModel.builder().model(loaded)
                    .device("cpu").build());
        }
    }

    @Test
    void shouldAnswerManyCallersInTurnWithTheSameGreedyAnswer() throws Exception {
        // given
        String alone = model.chat(QUESTION);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            // when
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String question = i % 2 == 0 ? QUESTION : "hello world";
                answers.add(callers.submit(() -> model.chat(question)));
            }
            // then
            String other = model.chat("hello world");
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(i % 2 == 0 ? alone : other, answers.get(i).get());
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void shouldCancelAndThrowWhenTheWaitingThreadIsInterruptedAndRefuseAfterClose() throws Exception {
        // given: the worker held by a streaming request whose handler waits, so the blocking call must queue
        assertFalse(model.chat(QUESTION).isEmpty());
        CountDownLatch release = new CountDownLatch(1);
        try (YinghuoStreamingChatModel streaming = YinghuoStreamingChatModel.builder().modelPath(folder)
                .device("cpu").threads(1).contextLength(CONTEXT).log(line -> { }).build()) {
            RecordingHandler holding = new RecordingHandler() {
                @Override
                void onPartial(String text, dev.langchain4j.model.chat.response.PartialResponseContext context) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            streaming.chat(ChatRequest.builder().messages(UserMessage.from(QUESTION)).maxOutputTokens(2).build(),
                    holding);

            // when
            Thread.currentThread().interrupt();
            LangChain4jException e;
            try {
                e = assertThrows(LangChain4jException.class, () -> model.chat(QUESTION));
            } finally {
                release.countDown();
            }

            // then
            assertTrue(Thread.interrupted(), "the interrupt flag is kept");
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
            holding.await();
            assertFalse(model.chat(QUESTION).isEmpty(), "the worker goes on");
        }

        YinghuoChatModel closed = greedyBuilder().build();
        closed.close();
        IllegalStateException c = assertThrows(IllegalStateException.class, () -> closed.chat(QUESTION));
        assertTrue(c.getMessage().contains("closed"), c.getMessage());
    }

    interface Assistant {
        Result<String> chat(String message);
    }

    @Test
    void shouldKeepAMultiTurnConversationThroughAiServicesWithMemory() {
        // given
        List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
        try (YinghuoChatModel observed = greedyBuilder().listeners(new ChatModelListener() {
            @Override
            public void onRequest(ChatModelRequestContext context) {
                requests.add(context.chatRequest());
            }
        }).build()) {
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(observed)
                    .chatMemory(MessageWindowChatMemory.withMaxMessages(10)).build();

            // when
            Result<String> first = assistant.chat(QUESTION);
            Result<String> second = assistant.chat("hello world");

            // then
            assertFalse(first.content().isEmpty());
            List<ChatMessage> sent = requests.get(1).messages();
            assertEquals(3, sent.size(), sent.toString());
            assertEquals(first.content(), ((AiMessage) sent.get(1)).text());
            Conversation expected = new Conversation(null, List.of(new Exchange(QUESTION, first.content())),
                    "hello world");
            assertEquals(ChatTemplates.alpaca2().encode(expected, observed.model().tokenizer()).length,
                    second.tokenUsage().inputTokenCount());
            YinghuoChatResponseMetadata metadata =
                    (YinghuoChatResponseMetadata) second.finalResponse().metadata();
            assertTrue(metadata.prefillTokens() < second.tokenUsage().inputTokenCount(),
                    "the cached first turn is reused: " + metadata);
        }
    }
}
