package io.yinghuo.model.constrain;

import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LogitsConsumer;

import java.util.SplittableRandom;

/**
 * A stand-in model whose logits are random: Gaussian noise plus a per-token bias fixed for the session, so that some
 * tokens are favoured throughout (the test chooses which, e.g. tokens that close strings and objects, so that
 * generations finish within a few hundred tokens).
 */
final class RandomLogitsSession implements InferenceSession {

    private final float[] bias;
    private final float noise;
    private final SplittableRandom random;
    private final float[] logits;
    private final int capacity;
    private int length;

    RandomLogitsSession(float[] bias, float noise, long seed, int capacity) {
        this.bias = bias;
        this.noise = noise;
        this.random = new SplittableRandom(seed);
        this.logits = new float[bias.length];
        this.capacity = capacity;
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
        return bias.length;
    }

    @Override
    public float[] forward(int[] tokens) {
        length += tokens.length;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = bias[i] + noise * (float) gaussian();
        }
        return logits;
    }

    private double gaussian() {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @Override
    public void forwardAll(int[] tokens, LogitsConsumer consumer) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void truncate(int length) {
        this.length = length;
    }

    @Override
    public void close() {
    }
}
