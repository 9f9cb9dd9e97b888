package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LogitsConsumer;
import io.yinghuo.model.engine.SessionInput;

/** A sequence on the CPU backend: its fp16 KV cache ({@link KvCache}) and length. */
final class CpuSession implements InferenceSession {
    private final CpuModel model;
    private KvCache cache;
    private final float[] logits;
    private int length;

    CpuSession(CpuModel model, KvCache cache) {
        this.model = model;
        this.cache = cache;
        this.logits = new float[model.config().vocabSize()];
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int capacity() {
        return cache().capacity;
    }

    @Override
    public int vocabSize() {
        return logits.length;
    }

    @Override
    public float[] forward(int[] tokens) {
        run(tokens, null);
        return logits;
    }

    @Override
    public void forwardAll(int[] tokens, LogitsConsumer consumer) {
        if (consumer == null) {
            throw new IllegalArgumentException("forwardAll needs a logits consumer");
        }
        run(tokens, consumer);
    }

    private void run(int[] tokens, LogitsConsumer consumer) {
        KvCache kv = cache();
        SessionInput.check(tokens, length, kv.capacity, logits.length);
        // dynamic / ntk:auto rotate every key of this call for the full length, as one HF forward would
        int ropeLength = length + tokens.length;
        synchronized (model) {
            CpuForward f = model.forward();
            int chunk = f.maxRows();
            for (int off = 0; off < tokens.length; off += chunk) {
                int rows = Math.min(chunk, tokens.length - off);
                boolean lastChunk = off + rows == tokens.length;
                f.run(kv, tokens, off, rows, length, ropeLength, consumer, off,
                        consumer == null && lastChunk ? logits : null);
                length += rows;
            }
        }
    }

    @Override
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate a session of " + length + " tokens to " + newLength);
        }
        length = newLength;
    }

    CpuModel model() {
        return model;
    }

    /** The cache, for a batched pass run by the model. */
    KvCache kv() {
        return cache();
    }

    /** Counts tokens a batched pass appended. */
    void advance(int tokens) {
        length += tokens;
    }

    private KvCache cache() {
        if (cache == null) {
            throw new IllegalStateException("the session was closed");
        }
        return cache;
    }

    @Override
    public void close() {
        cache = null; // the KV arrays become garbage
    }
}
