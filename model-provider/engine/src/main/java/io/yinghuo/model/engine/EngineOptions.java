package io.yinghuo.model.engine;

import io.yinghuo.model.engine.rope.RopeSpec;

/**
 * How a backend runs a model.
 *
 * @param threads worker threads for matrix products (the caller's thread counts as one); 0 = all available cores
 * @param rope RoPE scaling to use; null = what config.json's rope_scaling says ({@link RopeSpec#fromConfig})
 * @param prefillChunk the most prompt tokens one batched pass handles at once; longer prompts are split so the
 *     activation scratch stays bounded (the KV cache, not this, grows with the context)
 */
public record EngineOptions(int threads, RopeSpec rope, int prefillChunk) {

    public static final int DEFAULT_PREFILL_CHUNK = 256;

    public EngineOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        }
        if (prefillChunk < 1) {
            throw new IllegalArgumentException("prefill chunk must be >= 1 token, got " + prefillChunk);
        }
    }

    /** All cores, RoPE from config.json, chunks of {@value #DEFAULT_PREFILL_CHUNK} tokens. */
    public static EngineOptions defaults() {
        return new EngineOptions(0, null, DEFAULT_PREFILL_CHUNK);
    }

    public EngineOptions withThreads(int n) {
        return new EngineOptions(n, rope, prefillChunk);
    }

    public EngineOptions withRope(RopeSpec spec) {
        return new EngineOptions(threads, spec, prefillChunk);
    }

    public EngineOptions withPrefillChunk(int tokens) {
        return new EngineOptions(threads, rope, tokens);
    }

    /** The thread count to use: {@link #threads()} or, when 0, the available processors. */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
