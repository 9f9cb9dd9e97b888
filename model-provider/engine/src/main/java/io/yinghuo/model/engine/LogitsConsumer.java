package io.yinghuo.model.engine;

/** Receives the logits at each position of a batch; the array is reused after the call returns. */
@FunctionalInterface
public interface LogitsConsumer {
    void accept(int indexInBatch, float[] logits);
}
