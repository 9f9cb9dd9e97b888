package io.yinghuo.model.generate;

/**
 * Asks a running generation to stop. Any thread may call {@link #cancel()}; the generator checks before every
 * forward pass and after every streamed piece, so it returns within one token's time with
 * {@link FinishReason#CANCELLED} and the text produced so far. One token per generation; cancelling cannot be undone.
 */
public final class CancellationToken {

    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
