package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A streaming handler or a listener that throws, whatever it throws (an {@link Error} such as a failed assertion, a
 * checked exception thrown sneakily), never takes the model's worker thread down: its own stream ends with
 * {@code onError} (or goes on, for an exception from a partial, as LangChain4j's rule says), the streams decoding
 * with it get their whole answers, and the next request is answered.
 */
class HandlerFailuresTest {

    static final String QUESTION = "你好，世界";
    static final int TOKENS = 10;

    @TempDir
    static Path dir;
    static Path folder;

    YinghuoStreamingChatModel model;

    @BeforeAll
    static void write() {
        folder = TinyChatModel.write(dir);
    }

    /** A model of its own per test, so that a worker killed by one test cannot fail the others. */
    @BeforeEach
    void load() {
        model = withListeners();
    }

    @AfterEach
    void close() {
        model.close();
    }

    private YinghuoStreamingChatModel withListeners(ChatModelListener... listeners) {
        return YinghuoStreamingChatModel.builder().modelPath(folder).device("cpu").threads(1).contextLength(256)
                .temperature(0.0).maxOutputTokens(TOKENS).log(line -> { }).listeners(listeners).build();
    }

    private static ChatRequest question(int maxTokens) {
        return ChatRequest.builder().messages(UserMessage.from(QUESTION)).maxOutputTokens(maxTokens).build();
    }

    /** The greedy answer a well-behaved handler gets. */
    private static String answer(YinghuoStreamingChatModel model, ChatRequest request) throws Exception {
        RecordingHandler handler = new RecordingHandler();
        model.chat(request, handler);
        return handler.await().aiMessage().text();
    }

    /** What the stream ended with: the handler's {@code onError}. */
    private static Throwable error(RecordingHandler handler) {
        return assertThrows(ExecutionException.class, handler::await).getCause();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void anErrorFromOnPartialResponseEndsThatStreamThroughOnErrorAndTheNextRequestIsAnswered() throws Exception {
        // given: a handler whose callbacks fail assertions, onError included
        String expected = answer(model, question(TOKENS));
        AssertionError failed = new AssertionError("a test's assertion in onPartialResponse");
        RecordingHandler failing = new RecordingHandler() {
            @Override
            void onPartial(String text, PartialResponseContext context) {
                throw failed;
            }

            @Override
            public void onError(Throwable error) {
                super.onError(error);
                throw new AssertionError("and one in onError");
            }
        };

        // when
        model.chat(question(TOKENS), failing);

        // then: the stream ends at its first piece, once, with the handler's own error
        assertSame(failed, error(failing));
        assertEquals(List.of("partial", "error"), failing.events);
        assertEquals(expected, answer(model, question(TOKENS)), "the next request is answered");
        assertEquals(List.of("partial", "error"), failing.events, "nothing more reached the failed stream");
    }

    @Test
    void aCheckedExceptionThrownSneakilyByOnPartialResponseGoesToOnErrorAndTheStreamGoesOn() throws Exception {
        // given: LangChain4j's rule for an exception from onPartialResponse (it catches Exception, not only
        // RuntimeException): onError, and the stream goes on
        String expected = answer(model, question(TOKENS));
        IOException failed = new IOException("the handler's socket is closed");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        RecordingHandler failing = new RecordingHandler() {
            @Override
            void onPartial(String text, PartialResponseContext context) {
                sneakyThrow(failed);
            }

            @Override
            public void onError(Throwable error) {
                events.add("error");
                errors.add(error);
            }
        };

        // when
        model.chat(question(TOKENS), failing);
        ChatResponse response = failing.await();

        // then
        assertEquals(expected, response.aiMessage().text());
        assertEquals(expected, String.join("", failing.partials), "no piece was lost");
        assertEquals(failing.partials.size(), errors.size());
        assertTrue(errors.stream().allMatch(e -> e == failed), errors.toString());
        assertEquals("complete", failing.events.get(failing.events.size() - 1));
        assertEquals(expected, answer(model, question(TOKENS)), "the next request is answered");
    }

    @Test
    void anErrorFromOnCompleteResponseGoesToOnErrorAndTheNextRequestIsAnswered() throws Exception {
        String expected = answer(model, question(TOKENS));
        AssertionError failed = new AssertionError("a test's assertion in onCompleteResponse");
        RecordingHandler failing = new RecordingHandler() {
            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                events.add("complete");
                throw failed;
            }
        };

        model.chat(question(TOKENS), failing);

        assertSame(failed, error(failing), "the stream is not left without an end");
        assertEquals(List.of("complete", "error"), failing.events.subList(failing.events.size() - 2,
                failing.events.size()));
        assertEquals(expected, answer(model, question(TOKENS)), "the next request is answered");
    }

    @Test
    void aStreamWhoseHandlerThrowsErrorsDoesNotDisturbTheStreamDecodingWithIt() throws Exception {
        // given: a long answer, and a failing stream that joins its batch at the long answer's first piece
        int longAnswer = 40;
        String expected = answer(model, question(longAnswer));
        List<String> order = new CopyOnWriteArrayList<>();
        RecordingHandler failing = new RecordingHandler() {
            @Override
            void onPartial(String text, PartialResponseContext context) {
                throw new OutOfMemoryError("as if the handler had run out of heap");
            }

            @Override
            public void onError(Throwable error) {
                super.onError(error);
                order.add("failed");
                throw new StackOverflowError("as if onError had recursed too deep");
            }
        };
        RecordingHandler healthy = new RecordingHandler() {
            @Override
            void onPartial(String text, PartialResponseContext context) {
                if (order.isEmpty()) {
                    model.chat(question(TOKENS), failing); // queued from the worker thread: joins the next step
                }
                order.add("healthy");
            }
        };

        // when
        model.chat(question(longAnswer), healthy);
        ChatResponse response = healthy.await();

        // then
        assertTrue(error(failing) instanceof OutOfMemoryError);
        assertTrue(order.indexOf("failed") > 0 && order.indexOf("failed") < order.size() - 1,
                "the failing stream ended while the other one was decoding: " + order);
        assertEquals(expected, response.aiMessage().text(), "the other stream got its whole answer");
        assertEquals(expected, answer(model, question(longAnswer)), "and the next request is answered");
    }

    @Test
    void aListenerErrorOnTheResponseEndsTheStreamThroughOnErrorAndTheNextRequestIsAnswered() throws Exception {
        String expected = answer(model, question(TOKENS));
        AssertionError failed = new AssertionError("a listener's assertion");
        List<String> heard = new CopyOnWriteArrayList<>();
        ChatModelListener failingListener = new ChatModelListener() {
            @Override
            public void onResponse(ChatModelResponseContext context) {
                heard.add("response");
                throw failed;
            }

            @Override
            public void onError(ChatModelErrorContext context) {
                heard.add("error");
            }
        };
        try (YinghuoStreamingChatModel observed = withListeners(failingListener)) {
            RecordingHandler handler = new RecordingHandler();
            observed.chat(question(TOKENS), handler);

            assertSame(failed, error(handler), "the stream is not left without an end");
            assertEquals(expected, String.join("", handler.partials));
            assertEquals(List.of("response", "error"), heard);
            // the two chat models share the worker (same folder and options)
            assertEquals(expected, answer(model, question(TOKENS)), "the next request is answered");
        }
    }

    @Test
    void aListenerWhoseOnErrorThrowsAnErrorDoesNotKeepTheHandlerFromItsOnError() throws Exception {
        // given: a listener that fails an assertion in onResponse and again in onError
        String expected = answer(model, question(TOKENS));
        AssertionError failed = new AssertionError("a listener's assertion on the response");
        List<String> heard = new CopyOnWriteArrayList<>();
        ChatModelListener failingListener = new ChatModelListener() {
            @Override
            public void onResponse(ChatModelResponseContext context) {
                heard.add("response");
                throw failed;
            }

            @Override
            public void onError(ChatModelErrorContext context) {
                heard.add("error:" + context.error().getClass().getSimpleName());
                throw new AssertionError("a listener's assertion on the error");
            }
        };
        try (YinghuoStreamingChatModel observed = withListeners(failingListener)) {
            // when: a stream on the worker thread, then a prompt refused on the caller's thread
            RecordingHandler streamed = new RecordingHandler();
            observed.chat(question(TOKENS), streamed);
            Throwable streamEnd = error(streamed);
            RecordingHandler tooLong = new RecordingHandler();
            observed.chat("hello world ".repeat(200), tooLong);

            // then: both handlers hear how their stream ended, after the listener
            assertSame(failed, streamEnd);
            assertTrue(error(tooLong) instanceof ContextLengthExceededException);
            assertEquals(List.of("response", "error:AssertionError", "error:ContextLengthExceededException"), heard);
            assertEquals(expected, answer(model, question(TOKENS)), "the next request is answered");
        }
    }

    @Test
    void aListenerExceptionIsLoggedAndTheHandlerGetsItsResponse() throws Exception {
        // LangChain4j's rule (ChatModelListenerUtils): a listener's exception is logged and ignored
        String expected = answer(model, question(TOKENS));
        List<String> heard = new CopyOnWriteArrayList<>();
        ChatModelListener failingListener = new ChatModelListener() {
            @Override
            public void onResponse(ChatModelResponseContext context) {
                heard.add("response");
                throw new IllegalStateException("a listener's bug");
            }
        };
        try (YinghuoStreamingChatModel observed = withListeners(failingListener)) {
            RecordingHandler handler = new RecordingHandler();
            observed.chat(question(TOKENS), handler);

            assertEquals(expected, handler.await().aiMessage().text());
            assertEquals(List.of("response"), heard);
        }
    }
}
