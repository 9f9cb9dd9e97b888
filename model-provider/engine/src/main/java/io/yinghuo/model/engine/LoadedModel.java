package io.yinghuo.model.engine;

import io.yinghuo.model.config.LlamaConfig;

/**
 * Weights prepared for one backend. Sessions made from it share the weights and keep their own KV cache.
 * Closing the model stops its worker threads; it does not close the {@code LlamaWeights} it was loaded from.
 */
public interface LoadedModel extends AutoCloseable {

    LlamaConfig config();

    /** Name of the backend and kernels in use, e.g. "cpu (vector, 512-bit, 2 threads)". */
    String description();

    /**
     * A new session able to hold {@code capacity} tokens. The KV cache is allocated up front.
     *
     * @throws IllegalArgumentException when capacity is not positive
     * @throws IllegalStateException when the KV cache does not fit in memory (the message gives the bytes needed)
     */
    InferenceSession newSession(int capacity);

    /** KV-cache bytes one token of context costs in a session. */
    long kvBytesPerToken();

    /** Weight bytes one decode step streams (what bandwidth figures are computed from). */
    long weightBytesPerToken();

    @Override
    void close();
}
