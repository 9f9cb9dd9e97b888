package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.yinghuo.model.generate.CancellationToken;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One streaming request's link between the generator and the caller's handler: it is the {@link StreamingHandle}
 * the handler can cancel with, and it makes sure the handler gets exactly one terminal callback (or none after a
 * cancel, as LangChain4j specifies). Exceptions from the handler are treated as LangChain4j's
 * {@code InternalStreamingChatResponseHandlerUtils} treats them, so that code moving between providers sees the
 * same thing: from {@code onPartialResponse} or {@code onCompleteResponse} they go to {@code onError} (the stream
 * goes on after a partial), from {@code onError} they are logged and dropped. "Exceptions" as LangChain4j catches
 * them: every {@link Exception}, checked ones thrown sneakily (Kotlin, Lombok's {@code @SneakyThrows}) included.
 *
 * <p>LangChain4j lets an {@link Error} through; here the callbacks run on the model's worker thread, which serves
 * every request, so an Error must not escape to it either. One from {@code onPartialResponse} (a failed test
 * assertion, a stack overflow) ends this stream: it fails the generation, whose end then reaches {@code onError}
 * with it. One from {@code onCompleteResponse} goes to {@code onError}, one from {@code onError} is logged, like
 * exceptions.
 */
final class StreamingCall implements StreamingHandle {

    private final StreamingChatResponseHandler handler;
    private final CancellationToken cancellation = new CancellationToken();
    private final AtomicBoolean cancelledByCaller = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();

    StreamingCall(StreamingChatResponseHandler handler) {
        this.handler = handler;
    }

    CancellationToken cancellation() {
        return cancellation;
    }

    @Override
    public void cancel() {
        cancelledByCaller.set(true);
        cancellation.cancel();
    }

    @Override
    public boolean isCancelled() {
        return cancelledByCaller.get();
    }

    /** One decoded piece from the generator (worker thread). */
    void onText(String piece) {
        if (cancellation.isCancelled() || piece.isEmpty()) {
            return;
        }
        try {
            handler.onPartialResponse(new PartialResponse(piece), new PartialResponseContext(this));
        } catch (Exception e) {
            // The user's code failed on one piece; the answer itself is fine, so it goes on (LangChain4j's rule).
            // An Error is not caught: it ends the generation, and finish reports it.
            reportError(e);
        }
    }

    /**
     * Ends the call: {@code onError} for a failure, {@code onCompleteResponse} otherwise (and {@code onError} if
     * that throws), nothing after a cancel by the caller. Runs at most once.
     */
    void finish(Supplier<ChatResponse> response, Throwable error) {
        if (!finished.compareAndSet(false, true) || cancelledByCaller.get()) {
            return;
        }
        if (error != null) {
            reportError(error);
            return;
        }
        ChatResponse complete;
        try {
            complete = response.get();
        } catch (RuntimeException e) {
            reportError(e);
            return;
        }
        try {
            handler.onCompleteResponse(complete);
        } catch (Throwable e) { // a listener's Error too: LangChain4j calls listeners' onResponse from here
            reportError(e);
        }
    }

    private void reportError(Throwable error) {
        try {
            handler.onError(error);
        } catch (Throwable e) {
            LoggerFactory.getLogger(StreamingCall.class).warn("the streaming handler's onError threw; ignored", e);
        }
    }
}
