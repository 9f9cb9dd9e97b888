package io.yinghuo.model.util;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Fp16Test {

    @Test
    void knownHalfValues() {
        assertEquals(1.0f, Fp16.toFloat((short) 0x3C00));
        assertEquals(-2.0f, Fp16.toFloat((short) 0xC000));
        assertEquals(65504f, Fp16.toFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, Fp16.toFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, Fp16.toFloat((short) 0x7C00));
        assertEquals(true, Float.isNaN(Fp16.toFloat((short) 0x7E00)));
    }

    @Test
    void everyHalfRoundTrips() {
        for (int h = 0; h < 1 << 16; h++) {
            float f = Fp16.toFloat((short) h);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals((short) h, Fp16.fromFloat(f), "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void narrowingRoundsToNearestEven() {
        // 1 + 2^-11 lies exactly between 1 and the next half (1 + 2^-10): ties go to the even mantissa, 1.
        assertEquals((short) 0x3C00, Fp16.fromFloat(1f + 0x1p-11f));
        // 1 + 3*2^-11 lies between 1+2^-10 (odd) and 1+2^-9 (even): goes up.
        assertEquals((short) 0x3C02, Fp16.fromFloat(1f + 3 * 0x1p-11f));
        assertEquals((short) 0x7C00, Fp16.fromFloat(70000f));
        Random rnd = new Random(1);
        for (int i = 0; i < 100_000; i++) {
            float f = (float) (rnd.nextGaussian() * 10);
            float back = Fp16.toFloat(Fp16.fromFloat(f));
            assertEquals(f, back, Math.abs(f) * 0x1p-11f + 0x1p-24f);
        }
    }

    @Test
    void bf16KeepsTheUpperHalf() {
        assertEquals(1.0f, Fp16.bf16ToFloat(Fp16.floatToBf16(1.0f)));
        assertEquals((short) 0x3F80, Fp16.floatToBf16(1.0f));
        assertEquals(3.140625f, Fp16.bf16ToFloat(Fp16.floatToBf16(3.14159f)));
    }
}
