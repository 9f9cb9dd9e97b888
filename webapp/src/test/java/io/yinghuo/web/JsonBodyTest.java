package io.yinghuo.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The 400s a client gets for a request body that is not a JSON object, each naming where it went wrong: an empty
 * body, malformed UTF-8 from the very first byte, a syntax error with its line and column, and JSON that is not an
 * object. (Malformed UTF-8 further in: JsonBodyUtf8Test.)
 */
class JsonBodyTest {

    private static ApiException refused(byte[] body) {
        ApiException e = assertThrows(ApiException.class, () -> Json.parseObject(body));
        assertEquals(400, e.status());
        return e;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEmptyBodyIsRefused() {
        assertEquals("the request body is empty; send a JSON object", refused(new byte[0]).getMessage());
    }

    @Test
    void malformedUtf8AtTheFirstByteIsNamed() {
        assertEquals("the request body is not valid JSON at byte 0: malformed UTF-8 (RFC 3629)",
                refused(new byte[]{(byte) 0xC0, (byte) 0xAF, '{', '}'}).getMessage());
    }

    @Test
    void aSyntaxErrorNamesItsLineAndColumn() {
        ApiException e = refused(utf8("{\"prompt\":\n  \"你好\",,}"));
        String message = e.getMessage();
        assertEquals(true, message.startsWith("the request body is not valid JSON at line 2, column "), message);
        // the position once, in these words: not again in Jackson's location dump, which names its input source
        assertFalse(message.contains("[Source"), message);
        assertEquals(true, message.contains(": Unexpected character (','"), message);
        // the web UI's Chinese message keeps the position too
        String chinese = e.message(Messages.Lang.ZH);
        assertEquals(true, chinese.startsWith("请求体不是有效的 JSON at line 2, column "), chinese);
    }

    @Test
    void jsonThatIsNotAnObjectIsRefused() {
        assertEquals("the request body must be a JSON object", refused(utf8("[{\"prompt\":\"你好\"}]")).getMessage());
        assertEquals("the request body must be a JSON object", refused(utf8("\"你好\"")).getMessage());
    }

    @Test
    void writingUsesSnakeCase() {
        record Usage(int promptTokens, int completionTokens) {
        }
        assertEquals("{\"prompt_tokens\":3,\"completion_tokens\":5}", Json.write(new Usage(3, 5)));
    }
}
