package io.yinghuo.model.generate;

import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LogitsConsumer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A session whose logits are a deterministic function of the tokens it holds. It refuses to go past its capacity
 * (so a test fails if the generator tries) and logs every call.
 */
final class FakeSession implements InferenceSession {

    /** Logits for the next position, given the cached tokens {@code tokens[0..length)}. */
    @FunctionalInterface
    interface Model {
        float[] logits(int[] tokens, int length);
    }

    private final int vocabSize;
    private final int capacity;
    private final Model model;
    private final int[] tokens;
    private int length;
    final List<String> calls = new ArrayList<>();
    /** Runs after every forward pass with the new length; tests use it to block, throw or cancel. */
    IntConsumer afterForward = length -> { };

    FakeSession(int vocabSize, int capacity, Model model) {
        this.vocabSize = vocabSize;
        this.capacity = capacity;
        this.model = model;
        this.tokens = new int[capacity];
    }

    /** A model that always prefers {@code script[i]} as the i-th token after a prompt of promptLength tokens. */
    static Model scripted(int vocabSize, int promptLength, int... script) {
        return (tokens, length) -> {
            int step = length - promptLength;
            int next = step < script.length ? script[step] : FakeTokenizer.EOS;
            float[] logits = new float[vocabSize];
            logits[next] = 10f;
            return logits;
        };
    }

    int[] tokens() {
        return Arrays.copyOf(tokens, length);
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
        return vocabSize;
    }

    @Override
    public float[] forward(int[] batch) {
        calls.add("forward" + Arrays.toString(batch));
        append(batch);
        float[] logits = model.logits(tokens, length);
        afterForward.accept(length);
        return logits;
    }

    @Override
    public void forwardAll(int[] batch, LogitsConsumer consumer) {
        calls.add("forwardAll@" + length + Arrays.toString(batch));
        int start = length;
        append(batch);
        for (int i = 0; i < batch.length; i++) {
            consumer.accept(i, model.logits(tokens, start + i + 1));
        }
        afterForward.accept(length);
    }

    private void append(int[] batch) {
        if (length + batch.length > capacity) {
            throw new IllegalStateException("capacity " + capacity + " exceeded: " + length + " + " + batch.length);
        }
        for (int id : batch) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("token " + id + " out of range");
            }
            tokens[length++] = id;
        }
    }

    @Override
    public void truncate(int newLength) {
        calls.add("truncate(" + newLength + ")");
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate " + length + " tokens to " + newLength);
        }
        length = newLength;
    }

    @Override
    public void close() {
    }
}
