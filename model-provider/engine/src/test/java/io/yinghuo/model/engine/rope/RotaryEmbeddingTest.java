package io.yinghuo.model.engine.rope;

import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.config.RopeScalingConfig;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values worked out by hand from the formulas of {@link RopeSpec.Kind} for the 7B shape (head_dim 128, base 10000),
 * e.g. NTK alpha 2: 10000 * 2^(128/126) = 20221.3.
 */
class RotaryEmbeddingTest {

    private static LlamaConfig config(int maxPos, RopeScalingConfig scaling) {
        return new LlamaConfig(4096, 11008, 32, 32, 32, 55296, 1e-5, 10000, maxPos, scaling, 1, 2, false);
    }

    /** The base that produced invFreq(1) = base^(-2/d). */
    private static double baseOf(RopeAngles a) {
        return Math.pow(a.invFreq(1), -128 / 2.0);
    }

    @Test
    void ntkAlphaGivesTheDocumentedBases() {
        double[][] expected = {{2, 20221.3}, {3, 30527.7}, {4, 40889.9}, {8, 82684.6}};
        for (double[] e : expected) {
            RotaryEmbedding r = new RotaryEmbedding(config(4096, null), new RopeSpec(RopeSpec.Kind.NTK, e[0]));
            assertEquals(e[1], baseOf(r.angles(10)), 0.1, "alpha " + e[0]);
        }
    }

    @Test
    void ntkAutoIsPlainUpToLmaxThenGrowsItsAlpha() {
        RotaryEmbedding r = new RotaryEmbedding(config(4096, null), RopeSpec.parse("ntk:auto"));
        assertEquals(10000, baseOf(r.angles(4096)), 1e-6);
        assertEquals(10004.96, baseOf(r.angles(4097)), 0.01); // continuous: alpha = 4097/2048 - 1 = 1.0005
        assertEquals(20221.3, baseOf(r.angles(6144)), 0.1); // 6K -> alpha 2
        assertEquals(30527.7, baseOf(r.angles(8192)), 0.1); // 8K -> alpha 3
    }

    @Test
    void ntkKeepsTheConfigsLinearFactorAsPositionInterpolation() {
        RopeScalingConfig pi = new RopeScalingConfig("linear", 4, 0);
        RotaryEmbedding r = new RotaryEmbedding(config(16384, pi), RopeSpec.parse("ntk:auto"));
        assertEquals(1.0 / 4, r.angles(100).invFreq(0), 1e-15);
        // 16K model: alpha = L / 8192 - 1, 24K -> 2
        RopeAngles a = r.angles(24576);
        assertEquals(20221.3, Math.pow(a.invFreq(1) * 4, -64), 0.1);
    }

    @Test
    void dynamicFollowsHfBeyondLmaxOnly() {
        RotaryEmbedding r = new RotaryEmbedding(config(4096, null), RopeSpec.parse("dynamic:2"));
        assertEquals(10000, baseOf(r.angles(4096)), 1e-6);
        double expected = 10000 * Math.pow(2.0 * 8192 / 4096 - 1, 128 / 126.0);
        assertEquals(expected, baseOf(r.angles(8192)), 1e-6 * expected);
        assertSame(r.angles(8192), r.angles(8192));
        assertEquals(expected, baseOf(r.angles(8192)), 1e-6 * expected, "the same length again, from the cache");
    }

    @Test
    void linearDividesPositions() {
        RotaryEmbedding r = new RotaryEmbedding(config(4096, null), RopeSpec.parse("linear:4"));
        assertEquals(0.25, r.angles(1).invFreq(0), 1e-15);
        RotaryEmbedding fromConfig = new RotaryEmbedding(config(16384, new RopeScalingConfig("linear", 4, 0)), null);
        assertEquals(RopeSpec.parse("linear:4"), fromConfig.spec());
    }

    @Test
    void yarnMatchesTheReferenceRampAndMscale() {
        RopeScalingConfig yarn = new RopeScalingConfig("yarn", 16, 4096);
        RotaryEmbedding r = new RotaryEmbedding(config(65536, yarn), null);
        assertArrayEquals(new double[] {20, 46}, r.yarnRange());
        RopeAngles a = r.angles(70000);
        assertEquals(1.27726, a.mscale(), 1e-5);
        assertEquals(1.0, a.invFreq(0), 1e-15); // extrapolated: high frequencies untouched
        assertEquals(Math.pow(10000, -2.0 * 63 / 128) / 16, a.invFreq(63), 1e-18); // interpolated
        double ramp = (30 - 20) / 26.0; // i = 30 sits inside the ramp
        double inv0 = Math.pow(10000, -2.0 * 30 / 128);
        assertEquals(inv0 / 16 * ramp + inv0 * (1 - ramp), a.invFreq(30), 1e-15);
        // no original context in config: 4096
        RotaryEmbedding noOrig = new RotaryEmbedding(config(4096, null), RopeSpec.parse("yarn:16"));
        assertArrayEquals(new double[] {20, 46}, noOrig.yarnRange());
        // an original context of 0 in config.json means none: 4096 again
        RotaryEmbedding zeroOrig = new RotaryEmbedding(config(65536, new RopeScalingConfig("yarn", 16, 0)), null);
        assertArrayEquals(new double[] {20, 46}, zeroOrig.yarnRange());
        // 8192: floor(128 ln(8192 / (32 * 2 pi)) / (2 ln 10000)) = floor(25.76),
        // ceil(128 ln(8192 / (2 pi)) / (2 ln 10000)) = ceil(49.84)
        RotaryEmbedding longer = new RotaryEmbedding(config(65536, new RopeScalingConfig("yarn", 16, 8192)), null);
        assertArrayEquals(new double[] {25, 50}, longer.yarnRange());
    }

    /**
     * A whole head at an offset into a larger array, at a position far from 0, with YaRN's mscale: cos and sin are
     * mscale cos(p invFreq_i) and mscale sin(p invFreq_i), and the rotation is HF's rotate_half (see {@link
     * RopeAngles#rotateHalf}); the values around the head stay as they were.
     */
    @Test
    void aHeadIsRotatedAsHfDoesAtAnyPositionAndOffset() {
        RotaryEmbedding r = new RotaryEmbedding(config(65536, new RopeScalingConfig("yarn", 16, 4096)), null);
        RopeAngles a = r.angles(70000);
        float[] cos = new float[64];
        float[] sin = new float[64];
        a.cosSin(1234, cos, sin);
        for (int i = 0; i < 64; i++) {
            assertEquals((float) (Math.cos(1234 * a.invFreq(i)) * a.mscale()), cos[i], "cos " + i);
            assertEquals((float) (Math.sin(1234 * a.invFreq(i)) * a.mscale()), sin[i], "sin " + i);
        }
        Random random = new Random(3);
        float[] x = new float[3 + 128 + 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] before = x.clone();
        RopeAngles.rotateHalf(x, 3, cos, sin, 64);
        for (int i = 0; i < 64; i++) {
            double lo = before[3 + i];
            double hi = before[3 + 64 + i];
            assertEquals(lo * cos[i] - hi * sin[i], x[3 + i], 1e-5, "out[" + i + "]");
            assertEquals(hi * cos[i] + lo * sin[i], x[3 + 64 + i], 1e-5, "out[" + (64 + i) + "]");
        }
        for (int i : new int[] {0, 1, 2, 131, 132}) {
            assertEquals(before[i], x[i], "outside the head: " + i);
        }
    }

    @Test
    void headDimensionAndLengthDependentModesAreChecked() {
        LlamaConfig four = new LlamaConfig(16, 32, 1, 4, 4, 100, 1e-5, 10000, 64, null, 1, 2, false);
        assertEquals(2, new RotaryEmbedding(four, RopeSpec.NONE).angles(1).halfDim(), "head dimension 4 is enough");
        for (int hidden : new int[] {8, 12}) { // head dimensions 2 and 3
            LlamaConfig c = new LlamaConfig(hidden, 32, 1, 4, 4, 100, 1e-5, 10000, 64, null, 1, 2, false);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RotaryEmbedding(c, RopeSpec.NONE));
            assertEquals("RoPE needs an even head dimension >= 4, got " + hidden / 4, e.getMessage());
        }
        LlamaConfig unbounded = new LlamaConfig(16, 32, 1, 4, 4, 100, 1e-5, 10000, 0, null, 1, 2, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RotaryEmbedding(unbounded, RopeSpec.parse("dynamic:2")));
        assertTrue(e.getMessage().contains("needs max_position_embeddings > 0"), e.getMessage());
        assertEquals(1.0, new RotaryEmbedding(unbounded, RopeSpec.parse("linear:2")).angles(1).invFreq(0) * 2, 1e-15,
                "a fixed rotation needs no maximum length");
    }

    @Test
    void rotateHalfPairsElementIWithIPlusHalf() {
        RotaryEmbedding r = new RotaryEmbedding(config(4096, null), RopeSpec.NONE);
        float[] cos = new float[64];
        float[] sin = new float[64];
        r.angles(1).cosSin(3, cos, sin);
        float[] x = new float[128];
        x[0] = 1;
        RopeAngles.rotateHalf(x, 0, cos, sin, 64);
        assertEquals(Math.cos(3), x[0], 1e-6);
        assertEquals(Math.sin(3), x[64], 1e-6); // out[i+d/2] = x[i+d/2] cos + x[i] sin
        assertNotEquals(0f, x[64]);
        assertEquals(0f, x[1], 0f);
    }
}
