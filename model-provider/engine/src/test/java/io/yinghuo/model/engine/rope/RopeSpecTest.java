package io.yinghuo.model.engine.rope;

import io.yinghuo.model.config.RopeScalingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RopeSpecTest {

    @ParameterizedTest
    @ValueSource(strings = {"none", "linear:4", "dynamic:2", "ntk:2", "ntk:2.5", "ntk:auto", "yarn:16"})
    void specsRoundTrip(String spec) {
        assertEquals(spec, RopeSpec.parse(spec).toString());
        assertEquals(RopeSpec.parse(spec), RopeSpec.parse(" " + spec.toUpperCase() + " "));
    }

    @Test
    void parsesKindsAndValues() {
        assertEquals(new RopeSpec(RopeSpec.Kind.LINEAR, 4), RopeSpec.parse("linear:4"));
        assertEquals(new RopeSpec(RopeSpec.Kind.NTK, 2.5), RopeSpec.parse("ntk:2.5"));
        assertEquals(RopeSpec.Kind.NTK_AUTO, RopeSpec.parse("ntk:auto").kind());
        assertEquals(new RopeSpec(RopeSpec.Kind.YARN, 16), RopeSpec.parse("yarn:16"));
        // a factor of exactly 1 scales nothing and is accepted
        assertEquals(new RopeSpec(RopeSpec.Kind.LINEAR, 1), RopeSpec.parse("linear:1"));
        assertEquals(new RopeSpec(RopeSpec.Kind.YARN, 1), RopeSpec.parse("yarn:1"));
        // NTK's alpha is no context factor: below 1 is allowed
        assertEquals(new RopeSpec(RopeSpec.Kind.NTK, 0.5), RopeSpec.parse("ntk:0.5"));
    }

    /** A spec built directly (from config.json's rope_scaling) is checked as a parsed one is. */
    @Test
    void aSpecNeedsAPositiveFiniteValue() {
        for (double bad : new double[] {0, -2, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RopeSpec(RopeSpec.Kind.LINEAR, bad));
            assertEquals("RoPE linear needs a positive finite value, got " + bad, e.getMessage());
        }
        assertEquals(0.5, new RopeSpec(RopeSpec.Kind.NTK, 0.5).value());
        assertEquals(RopeSpec.Kind.NTK_AUTO, new RopeSpec(RopeSpec.Kind.NTK_AUTO, 0).kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "linear", "linear:", "linear:x", "linear:-2", "linear:0.5", "dynamic:0.5", "yarn:0.5",
            "cubic:2", "ntk:0", "yarn:NaN", "dynamic:inf", "none:1"})
    void badSpecsAreRejectedWithTheAcceptedForms(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RopeSpec.parse(spec));
        assertTrue(e.getMessage().contains("RoPE") || e.getMessage().contains("rope"), e.getMessage());
    }

    @Test
    void configScalingBecomesTheDefault() {
        assertEquals(RopeSpec.NONE, RopeSpec.fromConfig(null));
        assertEquals(RopeSpec.parse("linear:4"), RopeSpec.fromConfig(new RopeScalingConfig("linear", 4, 0)));
        assertEquals(RopeSpec.parse("dynamic:2"), RopeSpec.fromConfig(new RopeScalingConfig("dynamic", 2, 0)));
        assertEquals(RopeSpec.parse("yarn:16"), RopeSpec.fromConfig(new RopeScalingConfig("yarn", 16, 4096)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RopeSpec.fromConfig(new RopeScalingConfig("longrope", 2, 0)));
        assertTrue(e.getMessage().contains("longrope"), e.getMessage());
    }
}
