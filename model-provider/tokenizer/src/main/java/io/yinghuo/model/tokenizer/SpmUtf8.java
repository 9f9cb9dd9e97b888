package io.yinghuo.model.tokenizer;

/**
 * UTF-8 decoding with sentencepiece's rules (src/util.cc {@code DecodeUTF8}, src/util.h {@code IsValidDecodeUTF8}):
 * a structurally invalid sequence (bad lead byte, missing or bad trail byte, overlong form, surrogate, beyond
 * U+10FFFF, or cut off by the end of the input) consumes exactly one byte and becomes U+FFFD. This differs from
 * Java's decoders, which replace "maximal subparts", so {@code spm_decode} of {@code F3 A2} is two U+FFFD here.
 */
final class SpmUtf8 {
    static final int INVALID = -1;
    static final char REPLACEMENT = '\uFFFD';

    private SpmUtf8() {
    }

    /** How many bytes a sequence starting with {@code lead} needs (1 for an invalid lead byte: it is one U+FFFD). */
    static int sequenceLength(int lead) {
        lead &= 0xFF;
        if (lead < 0x80) {
            return 1;
        }
        if ((lead & 0xE0) == 0xC0) {
            return 2;
        }
        if ((lead & 0xF0) == 0xE0) {
            return 3;
        }
        if ((lead & 0xF8) == 0xF0) {
            return 4;
        }
        return 1;
    }

    /**
     * Decodes the character at {@code bytes[offset]}, of which {@code available} bytes exist. Returns the code point
     * (it then used {@link #sequenceLength} bytes) or {@link #INVALID} (then it consumes one byte, as U+FFFD).
     */
    static int decodeChar(byte[] bytes, int offset, int available) {
        int b0 = bytes[offset] & 0xFF;
        int length = sequenceLength(b0);
        if (length == 1) {
            return b0 < 0x80 ? b0 : INVALID;
        }
        if (available < length) {
            return INVALID;
        }
        int cp;
        int min;
        switch (length) {
            case 2 -> {
                cp = (b0 & 0x1F) << 6;
                min = 0x80;
            }
            case 3 -> {
                cp = (b0 & 0x0F) << 12;
                min = 0x800;
            }
            default -> {
                cp = (b0 & 0x07) << 18;
                min = 0x10000;
            }
        }
        for (int i = 1; i < length; i++) {
            int b = bytes[offset + i] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                return INVALID;
            }
            cp |= (b & 0x3F) << (6 * (length - 1 - i));
        }
        boolean validCodepoint = cp < 0xD800 || (cp >= 0xE000 && cp <= 0x10FFFF);
        return cp >= min && validCodepoint ? cp : INVALID;
    }

    /**
     * Whether {@code available} bytes (fewer than the lead byte asks for) can still become a valid character once
     * more bytes come. If not, {@link #decodeChar} says INVALID for them whatever follows, so a streaming decoder can
     * emit U+FFFD at once. The missing trail bytes only fill the low bits, so the reachable code points form the range
     * [prefix with zeros, prefix with ones].
     */
    static boolean canStillBeValid(byte[] bytes, int offset, int available) {
        int b0 = bytes[offset] & 0xFF;
        int length = sequenceLength(b0);
        if (length == 1) {
            return b0 < 0x80;
        }
        int cp = length == 2 ? b0 & 0x1F : length == 3 ? b0 & 0x0F : b0 & 0x07;
        for (int i = 1; i < available; i++) {
            int b = bytes[offset + i] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                return false;
            }
            cp = cp << 6 | (b & 0x3F);
        }
        int missingBits = 6 * (length - available);
        long low = (long) cp << missingBits;
        long high = low | ((1L << missingBits) - 1);
        long min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
        low = Math.max(low, min);
        if (low > high) {
            return false;
        }
        // valid code points: [min, 0xD7FF] and [0xE000, 0x10FFFF]
        return low <= 0xD7FF || (high >= 0xE000 && low <= 0x10FFFF);
    }

    /** Decodes a whole byte range, each invalid byte becoming U+FFFD (what spm does to its input text). */
    static String decodeText(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(length);
        appendDecoded(bytes, offset, length, out);
        return out.toString();
    }

    static void appendDecoded(byte[] bytes, int offset, int length, StringBuilder out) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int cp = decodeChar(bytes, i, end - i);
            if (cp == INVALID) {
                out.append(REPLACEMENT);
                i++;
            } else {
                out.appendCodePoint(cp);
                i += sequenceLength(bytes[i]);
            }
        }
    }
}
