package io.yinghuo.model.serve;

import io.yinghuo.model.constrain.TokenConstraint;
import io.yinghuo.model.generate.CancellationToken;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.generate.TextStreamListener;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A generation waiting for or holding a place in the batch: the prompt, how to sample, and where the outcome goes
 * ({@code onDone} first, on the scheduler's thread, then the future).
 */
public record GenerationJob(int[] promptIds, SamplingParams params, TokenConstraint constraint,
                            TextStreamListener listener, CancellationToken cancellation,
                            BiConsumer<GenerationResult, Throwable> onDone, CompletableFuture<GenerationResult> future) {

    public GenerationJob {
        Objects.requireNonNull(promptIds, "promptIds");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancellation, "cancellation");
        Objects.requireNonNull(onDone, "onDone");
        Objects.requireNonNull(future, "future");
    }

    /**
     * Hands the result to onDone, then to the future; a failing onDone fails the future instead of the caller.
     * Never throws: onDone is the caller's code running on the scheduler's thread, and whatever it throws (an
     * {@link Error} such as a failed assertion, or a checked exception thrown sneakily, included) must not end the
     * loop that serves every other job.
     */
    void complete(GenerationResult result) {
        try {
            onDone.accept(result, null);
        } catch (Throwable e) {
            future.completeExceptionally(e);
            return;
        }
        future.complete(result);
    }

    /**
     * Hands the failure to onDone, then to the future; what a failing onDone throws is added to the failure as
     * suppressed, unless it is the failure itself rethrown ({@link Throwable#addSuppressed} refuses self-suppression
     * with an exception of its own, which would escape to the scheduler's thread).
     */
    void fail(Throwable error) {
        try {
            onDone.accept(null, error);
        } catch (Throwable e) {
            if (e != error) {
                error.addSuppressed(e);
            }
        }
        future.completeExceptionally(error);
    }
}
