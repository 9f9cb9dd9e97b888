package io.yinghuo.web.generation;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One streaming generation, read by the HTTP request thread.
 *
 * <p>Why a queue between the model and the response: the provider calls back on the model's single worker thread,
 * and writing to a slow or stalled client there would hold up every other request. The callbacks only enqueue; the
 * request thread writes, and cancels the generation (through LangChain4j's {@link StreamingHandle}) when its client
 * has gone.
 */
public final class TokenStream {

    /** What the request thread reads: a piece of text, the complete response, or the failure. */
    public sealed interface Event permits Token, Complete, Failed {
    }

    public record Token(String text) implements Event {
    }

    public record Complete(ChatResponse response) implements Event {
    }

    public record Failed(Throwable error) implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile StreamingHandle handle;
    private volatile boolean cancelled;

    private TokenStream() {
    }

    /** Submits the request; events arrive from the model's worker thread. */
    public static TokenStream start(StreamingChatModel model, ChatRequest request) {
        TokenStream stream = new TokenStream();
        try {
            model.chat(request, stream.new Handler());
        } catch (RuntimeException e) {
            // LangChain4j's streaming models refuse an unsupported feature by throwing here, not through onError:
            // the caller reads it from the stream like any other failure.
            stream.events.add(new Failed(e));
        }
        return stream;
    }

    /** The next event, or null when none arrived within {@code millis}. */
    public Event next(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the generation: at once when it has produced text (the handle is known), else at its first piece. No
     * events follow a cancel.
     */
    public void cancel() {
        cancelled = true;
        StreamingHandle h = handle;
        if (h != null) {
            h.cancel();
        }
    }

    private final class Handler implements StreamingChatResponseHandler {

        @Override
        public void onPartialResponse(String partialResponse) {
            events.add(new Token(partialResponse));
        }

        @Override
        public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
            handle = context.streamingHandle();
            if (cancelled) {
                handle.cancel();
                return;
            }
            events.add(new Token(partialResponse.text()));
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
            events.add(new Complete(completeResponse));
        }

        @Override
        public void onError(Throwable error) {
            events.add(new Failed(error));
        }
    }
}
