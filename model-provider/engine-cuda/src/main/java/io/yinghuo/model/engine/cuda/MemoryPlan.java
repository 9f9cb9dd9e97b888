package io.yinghuo.model.engine.cuda;

import java.util.Locale;

/**
 * What a model and its sessions take on the GPU, checked against the free memory before anything is allocated, so
 * that a model that does not fit fails with the sizes and what to lower instead of a bare out-of-memory error.
 *
 * @param weightBytes every weight array as uploaded
 * @param scratchBytes the activation buffers of one forward pass of {@code prefillChunk} tokens
 * @param kvBytesPerToken one token of context in a session's KV cache (fp16 keys and values, every layer)
 * @param prefillChunk tokens one batched pass handles
 */
record MemoryPlan(long weightBytes, long scratchBytes, long kvBytesPerToken, int prefillChunk) {

    /** Left free for the driver, the context and fragmentation. */
    static final long RESERVE_BYTES = 256L << 20;

    long modelBytes() {
        return weightBytes + scratchBytes;
    }

    /**
     * @throws IllegalArgumentException when the model does not fit in {@code freeBytes}
     */
    void checkModel(String device, long freeBytes, long totalBytes) {
        if (modelBytes() + RESERVE_BYTES > freeBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the model needs %s of GPU memory (weights %s + %s of working buffers for %d-token prefill "
                            + "chunks) plus %s of KV cache per 1,000 tokens of context; %s has %s free of %s: use a "
                            + "smaller model or a smaller prefill chunk, or free the GPU",
                    gib(modelBytes()), gib(weightBytes), gib(scratchBytes), prefillChunk,
                    gib(kvBytesPerToken * 1000), device, gib(freeBytes), gib(totalBytes)));
        }
    }

    /**
     * @throws IllegalStateException when a KV cache of {@code capacity} tokens does not fit in {@code freeBytes}
     */
    void checkSession(int capacity, String device, long freeBytes) {
        long need = kvBytesPerToken * capacity;
        if (need + RESERVE_BYTES > freeBytes) {
            long fits = Math.max(0, (freeBytes - RESERVE_BYTES) / kvBytesPerToken);
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "the KV cache for a %,d-token context needs %s (%,d bytes per token, fp16) but %s has %s free "
                            + "(the model's weights take %s): use a context of at most about %,d tokens, close other "
                            + "sessions or models, or use a smaller model",
                    capacity, gib(need), kvBytesPerToken, device, gib(freeBytes), gib(weightBytes), fits));
        }
    }

    static String gib(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
