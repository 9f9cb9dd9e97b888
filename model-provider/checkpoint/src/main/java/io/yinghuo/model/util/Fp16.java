package io.yinghuo.model.util;

/**
 * IEEE 754 binary16 and bfloat16 conversions.
 *
 * <p>Written by hand because {@code Float.float16ToFloat} only exists from Java 20 on and we target 17.
 * Conversions follow IEEE 754-2008 (round to nearest even when narrowing).
 */
public final class Fp16 {
    private Fp16() {
    }

    private static final float[] HALF_TO_FLOAT = new float[1 << 16];

    static {
        for (int h = 0; h < HALF_TO_FLOAT.length; h++) {
            HALF_TO_FLOAT[h] = convertHalf((short) h);
        }
    }

    /** Half-precision bits to float, through a 256 KiB lookup table (hot in dequantization). */
    public static float toFloat(short half) {
        return HALF_TO_FLOAT[half & 0xFFFF];
    }

    private static float convertHalf(short half) {
        int h = half & 0xFFFF;
        int sign = (h >>> 15) << 31;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal: value = mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Float to half-precision bits, round to nearest even, overflow to infinity. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++; // may carry into the exponent, which is the correct rounding
        }
        return (short) (sign | half);
    }

    /** bfloat16 bits to float: the upper half of a float. */
    public static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }

    /** Float to bfloat16 bits, round to nearest even. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7F800000) == 0x7F800000 && (bits & 0x7FFFFF) != 0) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
