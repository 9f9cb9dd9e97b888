package io.yinghuo.model.engine;

import io.yinghuo.model.config.LlamaConfig;

import java.util.List;

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

    /**
     * Runs several sessions' steps of this model as one batch: each step's tokens are appended to its own session
     * (its own KV cache and positions) and the logits after its last token are written where it says. A session
     * appears at most once per batch. The default runs the steps one after another through
     * {@link InferenceSession#forward}, which is correct on every backend but streams the weights once per step and
     * rotates a step's keys for {@code session.length() + tokens.length} (callers that cut prompts into chunks should
     * not do so when {@link #batchesNatively()} is false); a backend that can push the rows of all steps through one
     * pass over the weights overrides it.
     *
     * @throws IllegalArgumentException when a session does not belong to this model, appears twice, or a step does
     *                                  not fit its session
     */
    default void forwardBatch(List<SequenceStep> steps) {
        for (int i = 0; i < steps.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (steps.get(j).session() == steps.get(i).session()) {
                    throw new IllegalArgumentException("a session appears twice in one batch");
                }
            }
        }
        for (SequenceStep step : steps) {
            float[] out = step.session().forward(step.tokens());
            if (step.logits() != null) {
                System.arraycopy(out, 0, step.logits(), 0, step.session().vocabSize());
            }
        }
    }

    /**
     * True when {@link #forwardBatch} pushes all steps through one pass over the weights (several sequences decode
     * for about the cost of one); false when it runs them one by one, see {@link #batchingNote()}.
     */
    default boolean batchesNatively() {
        return false;
    }

    /** Why batches run one sequence after another on this backend, or an empty string when they do not. */
    default String batchingNote() {
        return batchesNatively() ? "" : "this backend runs the sequences of a batch one after another";
    }

    @Override
    void close();
}
