package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LogitsConsumer;
import io.yinghuo.model.engine.SessionInput;
import jcuda.driver.CUdeviceptr;

/**
 * A sequence on the GPU: its fp16 KV cache in device memory ([layers, capacity, kvDim] for keys and the same for
 * values, as the CPU's KvCache) and its length. Same contract as the CPU session.
 */
final class CudaSession implements InferenceSession {
    private final CudaModel model;
    private final int capacity;
    private final float[] logits;
    private DeviceMemory memory;
    private final CUdeviceptr keys;
    private final CUdeviceptr values;
    private int length;

    CudaSession(CudaModel model, int capacity) {
        this.model = model;
        this.capacity = capacity;
        this.logits = new float[model.config().vocabSize()];
        long bytes = model.kvBytesPerToken() / 2 * capacity;
        DeviceMemory m = new DeviceMemory();
        try {
            this.keys = m.allocate(bytes);
            this.values = m.allocate(bytes);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        this.memory = m;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int capacity() {
        return capacity;
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
        if (memory == null) {
            throw new IllegalStateException("the session was closed");
        }
        SessionInput.check(tokens, length, capacity, logits.length);
        // dynamic / ntk:auto rotate every key of this call for the full length, as one HF forward would
        int ropeLength = length + tokens.length;
        synchronized (model) {
            model.checkOpen();
            model.device().makeCurrent();
            CudaForward f = model.forward();
            int chunk = f.maxRows();
            for (int off = 0; off < tokens.length; off += chunk) {
                int rows = Math.min(chunk, tokens.length - off);
                boolean lastChunk = off + rows == tokens.length;
                f.run(keys, values, capacity, tokens, off, rows, length, ropeLength, consumer, off,
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

    @Override
    public void close() {
        synchronized (model) {
            if (memory != null) {
                model.device().makeCurrent();
                memory.close();
                memory = null;
                model.forget(this);
            }
        }
    }
}
