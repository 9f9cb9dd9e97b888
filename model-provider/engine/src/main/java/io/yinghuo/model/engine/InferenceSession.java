package io.yinghuo.model.engine;

/**
 * One sequence's state on a backend: its KV cache and position. Not thread-safe; one caller at a time.
 */
public interface InferenceSession extends AutoCloseable {

    /** Tokens held in the KV cache (the position of the next token). */
    int length();

    /** Maximum tokens this session can hold. */
    int capacity();

    int vocabSize();

    /**
     * Appends the tokens in one batched forward pass (prefill when there are many) and returns the logits after
     * the last one. The returned array may be reused by the next call.
     */
    float[] forward(int[] tokens);

    /** Appends the tokens in one batched pass and hands the logits after each of them to the consumer, in order. */
    void forwardAll(int[] tokens, LogitsConsumer consumer);

    /** Forgets cached tokens from position {@code length} on (0 empties the cache). */
    void truncate(int length);

    @Override
    void close();
}
