package io.yinghuo.retrieval.rag;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** A question in progress: its result to wait for, and a way to stop the model early. */
public final class AskHandle {

    private final CompletableFuture<AskResponse> result = new CompletableFuture<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    AskHandle() {
    }

    /** Completes with the response, or exceptionally with the error {@link AnswerListener#onError} received. */
    public CompletableFuture<AskResponse> result() {
        return result;
    }

    /**
     * Stops the model after the token it is writing; the result then completes with the answer so far and finish
     * reason "cancelled". No effect once the answer is complete.
     */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Ends the question with {@code response}; the listener hears of it only if nothing ended it before. */
    void complete(AnswerListener listener, AskResponse response) {
        if (result.complete(response)) {
            listener.onComplete(response);
        }
    }

    /** Ends the question with {@code error}; the listener hears of it only if nothing ended it before. */
    void fail(AnswerListener listener, Throwable error) {
        if (result.completeExceptionally(error)) {
            listener.onError(error);
        }
    }
}
