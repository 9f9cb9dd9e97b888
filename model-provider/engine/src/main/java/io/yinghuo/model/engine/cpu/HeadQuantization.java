package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.weights.DenseLinear;
import io.yinghuo.model.weights.Linear;

/**
 * Whether the CPU backend stores a dense output head (lm_head) in 8 bits ({@link Int8Rows}) instead of reading its
 * fp16/bf16/f32 weights in place. The default quantizes heads of at least {@link #MIN_WEIGHTS} weights: a smaller
 * head stays in the CPU caches between tokens, so fewer bytes buy nothing there and its logits stay exact.
 * {@code -Dyinghuo.cpu.exactHead=true} keeps every head dense.
 */
public enum HeadQuantization {
    /** Every head read as stored. */
    EXACT,
    /** Heads of at least {@link #MIN_WEIGHTS} weights in 8 bits (the default). */
    LARGE_HEADS,
    /** Every dense head in 8 bits (tests measure the 8-bit path's fidelity on small models). */
    ALWAYS;

    /** System property that keeps the head exact when "true". */
    public static final String EXACT_HEAD_PROPERTY = "yinghuo.cpu.exactHead";
    /** 2^20 weights: 2 MB of fp16, about one core's L2 cache. */
    public static final long MIN_WEIGHTS = 1L << 20;

    /** The policy this JVM's settings ask for. */
    public static HeadQuantization configured() {
        return Boolean.getBoolean(EXACT_HEAD_PROPERTY) ? EXACT : LARGE_HEADS;
    }

    boolean applies(Linear head) {
        if (!(head instanceof DenseLinear d) || !Int8Rows.fits(d.outFeatures(), d.inFeatures())) {
            return false;
        }
        return switch (this) {
            case EXACT -> false;
            case LARGE_HEADS -> (long) d.outFeatures() * d.inFeatures() >= MIN_WEIGHTS;
            case ALWAYS -> true;
        };
    }
}
