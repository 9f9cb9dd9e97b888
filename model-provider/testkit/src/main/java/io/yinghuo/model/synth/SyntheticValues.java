package io.yinghuo.model.synth;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic pseudo-random values addressed by (seed, tensor name, element index), so that any element of any
 * tensor can be regenerated on its own: a multi-GB checkpoint is written in file order without being held in memory,
 * and tests can recompute exactly what was written.
 *
 * <p>Counter-based: element i is SplitMix64's output function applied to {@code tensorSeed + i * golden gamma}
 * (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
 */
final class SyntheticValues {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final float SQRT3_OVER_65536 = (float) (Math.sqrt(3.0) / 65536.0);

    private SyntheticValues() {
    }

    /** Mixes the global seed with a 64-bit FNV-1a hash of the tensor's name. */
    static long tensorSeed(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return mix(seed * GOLDEN_GAMMA ^ h);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long bits(long tensorSeed, long index) {
        return mix(tensorSeed + index * GOLDEN_GAMMA);
    }

    /**
     * An approximately standard normal value: the sum of four 16-bit uniforms (Irwin-Hall, n = 4), centred and scaled
     * to unit variance. One hash per value instead of Box-Muller's log/sqrt/cos keeps a 7B file fast to write; the
     * tails stop at +-3.46, which random weights do not miss.
     */
    static float normal(long tensorSeed, long index) {
        long z = bits(tensorSeed, index);
        int sum = (int) (z & 0xFFFF) + (int) ((z >>> 16) & 0xFFFF) + (int) ((z >>> 32) & 0xFFFF) + (int) (z >>> 48);
        return (sum - 131070) * SQRT3_OVER_65536;
    }
}
