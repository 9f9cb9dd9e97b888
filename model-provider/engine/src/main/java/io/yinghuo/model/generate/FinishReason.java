package io.yinghuo.model.generate;

/** Why generation ended (the OpenAI API's {@code finish_reason} vocabulary plus cancellation). */
public enum FinishReason {
    /** The model produced EOS, or the answer reached a stop string. */
    STOP,
    /** {@code maxNewTokens} tokens were sampled, or the session's context is full. */
    LENGTH,
    /** The caller cancelled (through a {@link CancellationToken}). */
    CANCELLED
}
