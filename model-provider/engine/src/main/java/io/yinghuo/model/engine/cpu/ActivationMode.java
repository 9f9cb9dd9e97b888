package io.yinghuo.model.engine.cpu;

import java.util.Locale;
import java.util.logging.Logger;

/**
 * How 4-bit GPTQ products take their activations on the CPU ({@code -Dyinghuo.cpu.activations=float|int8x2|int8}).
 * Measured on the fidelity suite (worst per-token log-probability error against the float64 reference, limit 0.05;
 * BENCHMARKS.md, "CPU kernels vs llama.cpp"): FLOAT and INT8X2 pass, INT8 does not (0.04-0.32).
 */
public enum ActivationMode {
    /** Float activations, float multiply-adds (the exact path). */
    FLOAT,
    /**
     * The default: each activation as two int8 parts, x = d_b (a + a'/254), both multiplied with the codes in 16-bit
     * integer lanes (about 15 bits of precision; {@link Int8Activations}).
     */
    INT8X2,
    /** One int8 per activation, x = d_b a (llama.cpp's Q8_0 precision): the fastest, outside the tolerance. */
    INT8;

    /** System property naming the mode. */
    public static final String PROPERTY = "yinghuo.cpu.activations";

    /** The mode this JVM's settings ask for (INT8X2 when unset or not understood). */
    public static ActivationMode configured() {
        String value = System.getProperty(PROPERTY, "int8x2").trim();
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            Logger.getLogger(ActivationMode.class.getName()).warning("-D" + PROPERTY + "=" + value
                    + " is not one of float, int8x2, int8: using int8x2");
            return INT8X2;
        }
    }

    /** Whether 4-bit products take integer activations. */
    public boolean integer() {
        return this != FLOAT;
    }
}
