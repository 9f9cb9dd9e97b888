package io.yinghuo.web;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every JSON body is read as strict UTF-8 (RFC 3629): issue 24 found /v1/completions answering 200 to an overlong
 * '/' and to an encoded surrogate, while other invalid UTF-8 got a JSON 400. All three now get the same 400.
 */
class JsonBodyUtf8Test {

    /** {"prompt":"a<bad>b"} with the given bytes in place of bad. */
    private static byte[] promptWith(int... bad) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"prompt\":\"a".getBytes(StandardCharsets.UTF_8));
        for (int b : bad) {
            out.write(b);
        }
        out.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static ApiException refused(byte[] body) {
        ApiException e = assertThrows(ApiException.class, () -> Json.parseObject(body));
        assertEquals(400, e.status());
        assertEquals("error.body_not_json", e.messageKey());
        return e;
    }

    @Test
    void overlongEncodingIsRefused() {
        ApiException e = refused(promptWith(0xC0, 0xAF));
        assertTrue(e.getMessage().contains("at byte 12"), e.getMessage());
    }

    @Test
    void encodedLoneSurrogateIsRefused() {
        refused(promptWith(0xED, 0xA0, 0x80));
        refused(promptWith(0xED, 0xBF, 0xBF));
    }

    @Test
    void otherMalformedUtf8GetsTheSame400() {
        refused(promptWith(0x80));                    // a continuation byte alone
        refused(promptWith(0xE4, 0xB8));              // a truncated three-byte sequence
        refused(promptWith(0xF4, 0x90, 0x80, 0x80));  // beyond U+10FFFF
        refused(promptWith(0xFF));
    }

    @Test
    void wellFormedUtf8IsRead() {
        assertEquals("a中b", Json.parseObject(promptWith(0xE4, 0xB8, 0xAD)).get("prompt").asText());
        assertEquals("a\uD83D\uDE00b", Json.parseObject(promptWith(0xF0, 0x9F, 0x98, 0x80)).get("prompt").asText());
        assertEquals(-1, Json.firstMalformedUtf8("中文".repeat(10_000).getBytes(StandardCharsets.UTF_8)));
    }
}
