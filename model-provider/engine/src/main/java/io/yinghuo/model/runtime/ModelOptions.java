package io.yinghuo.model.runtime;

import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.engine.rope.RopeSpec;

/**
 * How to load and run a model folder.
 *
 * @param device        where to run
 * @param threads       CPU worker threads, 0 = all cores
 * @param rope          RoPE scaling, null = what config.json says
 * @param contextLength tokens a session holds, 0 = the model's max_position_embeddings
 * @param maxSequences  the most generations the model's worker runs at once (batched), each in a KV slot of
 *                      {@code contextLength} tokens that also keeps its prefix for reuse
 * @param kvBudgetMb    MiB of KV cache the worker's slots may take together (fewer slots than maxSequences when they
 *                      do not fit, at least one); 0 = half of the Java heap free when the worker starts
 */
public record ModelOptions(DeviceSpec device, int threads, RopeSpec rope, int contextLength, int maxSequences,
                           long kvBudgetMb) {

    public static final int DEFAULT_MAX_SEQUENCES = 4;

    public ModelOptions {
        if (device == null) {
            device = DeviceSpec.AUTO;
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        }
        if (contextLength < 0) {
            throw new IllegalArgumentException("context length must be >= 0 (0 = the model's own), got "
                    + contextLength);
        }
        if (maxSequences < 1) {
            throw new IllegalArgumentException("max sequences must be >= 1, got " + maxSequences);
        }
        if (kvBudgetMb < 0) {
            throw new IllegalArgumentException("KV budget must be >= 0 MiB (0 = half the free heap), got "
                    + kvBudgetMb);
        }
    }

    /** {@value #DEFAULT_MAX_SEQUENCES} sequences at once, KV budget from the heap. */
    public ModelOptions(DeviceSpec device, int threads, RopeSpec rope, int contextLength) {
        this(device, threads, rope, contextLength, DEFAULT_MAX_SEQUENCES, 0);
    }

    public static ModelOptions defaults() {
        return new ModelOptions(DeviceSpec.AUTO, 0, null, 0);
    }

    public ModelOptions withDevice(DeviceSpec d) {
        return new ModelOptions(d, threads, rope, contextLength, maxSequences, kvBudgetMb);
    }

    public ModelOptions withThreads(int n) {
        return new ModelOptions(device, n, rope, contextLength, maxSequences, kvBudgetMb);
    }

    public ModelOptions withRope(RopeSpec r) {
        return new ModelOptions(device, threads, r, contextLength, maxSequences, kvBudgetMb);
    }

    public ModelOptions withContextLength(int n) {
        return new ModelOptions(device, threads, rope, n, maxSequences, kvBudgetMb);
    }

    public ModelOptions withMaxSequences(int n) {
        return new ModelOptions(device, threads, rope, contextLength, n, kvBudgetMb);
    }

    public ModelOptions withKvBudgetMb(long mb) {
        return new ModelOptions(device, threads, rope, contextLength, maxSequences, mb);
    }
}
