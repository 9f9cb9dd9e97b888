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
 * cancel, as LangChain4j specifies).
 */
final class StreamingCall implements StreamingHandle {

    private final StreamingChatResponseHandler handler;
    private final CancellationToken cancellation = new CancellationToken();
    private final AtomicBoolean cancelledByCaller = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Throwable handlerFailure;

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
        if (cancellation.isCancelled()) {
            return;
        }
        try {
            handler.onPartialResponse(new PartialResponse(piece), new PartialResponseContext(this));
        } catch (RuntimeException e) {
            handlerFailure = e;
            cancellation.cancel();
        }
    }

    /**
     * Ends the call: {@code onError} for a failure (of the engine or of the handler), {@code onCompleteResponse}
     * otherwise, nothing after a cancel by the caller. Runs at most once.
     */
    void finish(Supplier<ChatResponse> response, Throwable error) {
        if (!finished.compareAndSet(false, true) || cancelledByCaller.get()) {
            return;
        }
        Throwable failure = handlerFailure != null ? handlerFailure : error;
        if (failure == null) {
            ChatResponse complete;
            try {
                complete = response.get();
            } catch (RuntimeException e) {
                failure = e;
                complete = null;
            }
            if (complete != null) {
                try {
                    handler.onCompleteResponse(complete);
                    return;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
        }
        try {
            handler.onError(failure);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(StreamingCall.class).warn("the streaming handler's onError threw", e);
        }
    }
}
