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

    CompletableFuture<AskResponse> future() {
        return result;
    }
}
