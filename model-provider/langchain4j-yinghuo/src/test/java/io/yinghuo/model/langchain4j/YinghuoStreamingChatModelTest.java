package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link YinghuoStreamingChatModel} on a synthesized tiny model. */
class YinghuoStreamingChatModelTest {

    static final String QUESTION = "你好，世界";

    @TempDir
    static Path dir;
    static Path folder;
    static YinghuoStreamingChatModel model;
    static YinghuoChatModel blocking;

    @BeforeAll
    static void load() {
        folder = TinyChatModel.write(dir);
        model = YinghuoStreamingChatModel.builder().modelPath(folder).device("cpu").threads(1).contextLength(256)
                .temperature(0.0).maxOutputTokens(10).log(line -> { }).build();
        blocking = YinghuoChatModel.builder().modelPath(folder).device("cpu").threads(1).contextLength(256)
                .temperature(0.0).maxOutputTokens(10).log(line -> { }).build();
    }

    @AfterAll
    static void close() {
        model.close();
        blocking.close();
    }

    @Test
    void shouldStreamPiecesThatConcatenateToTheCompleteAnswerOnTheWorkerThread() throws Exception {
        // given
        RecordingHandler handler = new RecordingHandler();

        // when
        model.chat(QUESTION, handler);
        ChatResponse response = handler.await();

        // then
        assertFalse(handler.partials.isEmpty());
        assertEquals(String.join("", handler.partials), response.aiMessage().text());
        for (String piece : handler.partials) {
            assertFalse(piece.isEmpty());
            assertFalse(Character.isLowSurrogate(piece.charAt(0)), "whole characters only");
            assertFalse(Character.isHighSurrogate(piece.charAt(piece.length() - 1)), "whole characters only");
        }
        assertTrue(handler.threads.stream().allMatch(t -> t.startsWith("yinghuo-model-")), handler.threads.toString());
        assertNotEquals(Thread.currentThread().getName(), handler.threads.get(0), "never on the caller's thread");
        assertEquals("complete", handler.events.get(handler.events.size() - 1));
        assertEquals(FinishReason.LENGTH, response.finishReason());
        assertEquals(10, response.tokenUsage().outputTokenCount());
        assertSame(model.model(), blocking.model(), "the streaming and blocking models share the weights");
        assertEquals(blocking.chat(QUESTION), response.aiMessage().text(), "same greedy answer as the blocking model");
    }

    @Test
    void shouldStopGeneratingWhenTheHandlerCancelsAndFreeTheEngine() throws Exception {
        // given: a handler that cancels at the first piece of a long answer
        List<Boolean> cancelledBeforeAndAfter = new CopyOnWriteArrayList<>();
        RecordingHandler cancelling = new RecordingHandler() {
            @Override
            void onPartial(String text, PartialResponseContext context) {
                cancelledBeforeAndAfter.add(context.streamingHandle().isCancelled());
                context.streamingHandle().cancel();
                cancelledBeforeAndAfter.add(context.streamingHandle().isCancelled());
            }
        };
        ChatRequest longAnswer = ChatRequest.builder().messages(UserMessage.from(QUESTION)).maxOutputTokens(200)
                .build();

        // when
        model.chat(longAnswer, cancelling);
        RecordingHandler next = new RecordingHandler();
        model.chat(QUESTION, next);
        ChatResponse nextResponse = next.await();

        // then: the next request ran (FIFO: the cancelled one had ended before), and the cancelled handler got
        // nothing after its cancel
        assertFalse(nextResponse.aiMessage().text().isEmpty());
        assertEquals(List.of("partial"), cancelling.events);
        assertFalse(cancelling.done.isDone());
        assertEquals(List.of(false, true), cancelledBeforeAndAfter, "the handle says whether it was cancelled");
    }

    /** LangChain4j's rule (InternalStreamingChatResponseHandlerUtils): onError per failed piece, the stream goes on. */
    @Test
    void shouldReportEachHandlerFailureToOnErrorAndGoOnToTheCompleteResponse() throws Exception {
        // given: a handler whose onPartialResponse always throws, and whose onError throws too
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        IllegalStateException failure = new IllegalStateException("user code failed");
        RecordingHandler failing = new RecordingHandler() {
            @Override
            void onPartial(String text, PartialResponseContext context) {
                throw failure;
            }

            @Override
            public void onError(Throwable error) {
                events.add("error");
                errors.add(error);
                throw new IllegalStateException("onError failing is logged and ignored");
            }
        };
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        try (YinghuoStreamingChatModel observed = YinghuoStreamingChatModel.builder().modelPath(folder)
                .device("cpu").threads(1).contextLength(256).temperature(0.0).maxOutputTokens(10)
                .log(line -> { }).listeners(recorder(heard)).build()) {
            // when
            observed.chat(QUESTION, failing);
            ChatResponse response = failing.await();

            // then
            assertFalse(failing.partials.isEmpty());
            assertEquals(String.join("", failing.partials), response.aiMessage().text(), "no piece was lost");
            assertEquals(failing.partials.size(), errors.size());
            assertTrue(errors.stream().allMatch(e -> e == failure));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < failing.partials.size(); i++) {
                expected.add("partial");
                expected.add("error");
            }
            expected.add("complete");
            assertEquals(expected, failing.events);
            List<String> listenerExpected = new ArrayList<>(List.of("request"));
            for (int i = 0; i < failing.partials.size(); i++) {
                listenerExpected.add("error:IllegalStateException");
            }
            listenerExpected.add("response:LENGTH");
            assertEquals(listenerExpected, heard);
        }
    }

    @Test
    void shouldReportAFailingOnCompleteResponseToOnErrorOnce() throws Exception {
        RecordingHandler failing = new RecordingHandler() {
            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                events.add("complete");
                throw new IllegalStateException("user code failed at the end");
            }
        };
        model.chat(QUESTION, failing);
        ExecutionException e = assertThrows(ExecutionException.class, failing::await);
        assertEquals("user code failed at the end", e.getCause().getMessage());
        assertEquals("complete", failing.events.get(failing.events.size() - 2));
        assertEquals("error", failing.events.get(failing.events.size() - 1));
    }

    private static ChatModelListener recorder(List<String> events) {
        return new ChatModelListener() {
            @Override
            public void onRequest(ChatModelRequestContext context) {
                events.add("request");
            }

            @Override
            public void onResponse(ChatModelResponseContext context) {
                events.add("response:" + context.chatResponse().finishReason());
            }

            @Override
            public void onError(ChatModelErrorContext context) {
                events.add("error:" + context.error().getClass().getSimpleName());
            }
        };
    }

    @Test
    void shouldThrowUnsupportedFeaturesStraightAndReportAnOverLongPromptThroughOnError() throws Exception {
        // given
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (YinghuoStreamingChatModel observed = YinghuoStreamingChatModel.builder().modelPath(folder)
                .device("cpu").threads(1).contextLength(256).temperature(0.0).maxOutputTokens(4)
                .log(line -> { }).listeners(recorder(events)).build()) {
            // when: a normal request, then one with an unsupported parameter
            RecordingHandler ok = new RecordingHandler();
            observed.chat(QUESTION, ok);
            ok.await();
            RecordingHandler refused = new RecordingHandler();
            UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> observed.chat(
                    ChatRequest.builder().messages(UserMessage.from(QUESTION)).frequencyPenalty(0.5).build(),
                    refused));

            // then: thrown out of chat (LangChain4j's providers do the same), the handler hears nothing
            assertTrue(e.getMessage().contains("'frequencyPenalty' parameter is not supported"), e.getMessage());
            assertTrue(refused.events.isEmpty());
            assertEquals(List.of("request", "response:LENGTH", "request"), events);

            // when: a prompt too long for the context
            events.clear();
            RecordingHandler tooLong = new RecordingHandler();
            observed.chat("hello world ".repeat(200), tooLong);

            // then: an outcome of the call, so onError (and the listeners' onError)
            ExecutionException failed = assertThrows(ExecutionException.class, tooLong::await);
            assertInstanceOf(ContextLengthExceededException.class, failed.getCause());
            assertEquals(List.of("error"), tooLong.events);
            assertEquals(List.of("request", "error:ContextLengthExceededException"), events);
        }
    }

    @Test
    void shouldRefuseABlockingChatFromAStreamingCallbackInsteadOfDeadlocking() throws Exception {
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        RecordingHandler nested = new RecordingHandler() {
            @Override
            void onPartial(String text, PartialResponseContext context) {
                if (!refused.isDone()) {
                    try {
                        blocking.chat(QUESTION);
                        refused.complete(null);
                    } catch (IllegalStateException e) {
                        refused.complete(e);
                    }
                }
            }
        };
        model.chat(QUESTION, nested);
        nested.await();
        Throwable e = refused.get();
        assertTrue(e != null && e.getMessage().contains("wait for itself forever"), String.valueOf(e));
    }

    interface StreamingAssistant {
        TokenStream chat(String message);
    }

    @Test
    void shouldStreamAMultiTurnConversationThroughAiServices() throws Exception {
        StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class).streamingChatModel(model)
                .chatMemory(MessageWindowChatMemory.withMaxMessages(10)).build();
        ChatResponse first = stream(assistant.chat(QUESTION));
        ChatResponse second = stream(assistant.chat("hello world"));
        assertTrue(second.tokenUsage().inputTokenCount() > first.tokenUsage().inputTokenCount()
                + first.tokenUsage().outputTokenCount(), "the second prompt holds the first exchange");
    }

    private static ChatResponse stream(TokenStream tokens) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        tokens.onPartialResponse(text::append).onCompleteResponse(done::complete)
                .onError(done::completeExceptionally).start();
        ChatResponse response = done.get(120, TimeUnit.SECONDS);
        assertEquals(text.toString(), response.aiMessage().text());
        return response;
    }
}
