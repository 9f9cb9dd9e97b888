package io.yinghuo.model.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpmUtf8Test {

    @Test
    void decodesEveryValidCodePoint() {
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            assertEquals(utf8.length, SpmUtf8.sequenceLength(utf8[0]));
            assertEquals(cp, SpmUtf8.decodeChar(utf8, 0, utf8.length));
        }
    }

    @Test
    void rejectsWhatSpmRejects() {
        assertEquals(SpmUtf8.INVALID, SpmUtf8.decodeChar(new byte[] {(byte) 0x80}, 0, 1)); // lone trail byte
        assertEquals(SpmUtf8.INVALID, SpmUtf8.decodeChar(new byte[] {(byte) 0xC1, (byte) 0xBF}, 0, 2)); // overlong
        assertEquals(SpmUtf8.INVALID, SpmUtf8.decodeChar(bytes(0xE0, 0x9F, 0xBF), 0, 3)); // overlong
        assertEquals(SpmUtf8.INVALID, SpmUtf8.decodeChar(bytes(0xED, 0xBF, 0xBF), 0, 3)); // surrogate
        assertEquals(SpmUtf8.INVALID, SpmUtf8.decodeChar(bytes(0xF4, 0x90, 0x80, 0x80), 0, 4)); // > U+10FFFF
        assertEquals(SpmUtf8.INVALID, SpmUtf8.decodeChar(bytes(0xF8, 0x88, 0x80, 0x80), 0, 4)); // 5-byte lead
        assertEquals(SpmUtf8.INVALID, SpmUtf8.decodeChar(bytes(0xE4, 0xB8), 0, 2)); // cut off
        assertEquals("\uFFFD\uFFFDa\uFFFD中", SpmUtf8.decodeText(bytes(0xF3, 0xA2, 'a', 0xFF, 0xE4, 0xB8, 0xAD), 0, 7));
    }

    /** canStillBeValid against trying every completion, for all one- and two-byte prefixes. */
    @Test
    void canStillBeValidMatchesExhaustiveSearch() {
        for (int lead = 0x80; lead < 0x100; lead++) {
            int length = SpmUtf8.sequenceLength(lead);
            if (length == 1) {
                assertEquals(false, SpmUtf8.canStillBeValid(bytes(lead), 0, 1));
                continue;
            }
            assertEquals(someCompletionValid(bytes(lead), length), SpmUtf8.canStillBeValid(bytes(lead), 0, 1),
                    Integer.toHexString(lead));
            if (length > 2) {
                for (int second = 0; second < 0x100; second++) {
                    byte[] prefix = bytes(lead, second);
                    assertEquals(someCompletionValid(prefix, length), SpmUtf8.canStillBeValid(prefix, 0, 2),
                            Integer.toHexString(lead) + " " + Integer.toHexString(second));
                }
            }
        }
    }

    private static boolean someCompletionValid(byte[] prefix, int length) {
        byte[] full = new byte[length];
        System.arraycopy(prefix, 0, full, 0, prefix.length);
        int missing = length - prefix.length;
        for (int fill = 0; fill < 1 << (6 * missing); fill++) {
            for (int k = 0; k < missing; k++) {
                full[prefix.length + k] = (byte) (0x80 | (fill >>> (6 * k)) & 0x3F);
            }
            if (SpmUtf8.decodeChar(full, 0, length) != SpmUtf8.INVALID) {
                return true;
            }
        }
        return false;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
