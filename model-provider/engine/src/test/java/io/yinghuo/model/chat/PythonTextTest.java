package io.yinghuo.model.chat;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PythonTextTest {

    @Test
    void stripsPythonWhitespaceOnly() {
        assertEquals("a b", PythonText.strip(" \t\n\r\u000b\u000c a b \u001c\u001f"));
        // Python's str.isspace() is true for these; Java's String.strip() keeps the no-break ones and U+0085.
        assertEquals("中文", PythonText.strip("\u00a0\u2007\u202f\u3000\u0085中文\u2028\u2029\u205f\u1680"));
        assertEquals("", PythonText.strip(" \u3000 "));
        // Not whitespace in Python: zero-width space, BOM, Mongolian vowel separator (Cf since Unicode 6.3).
        assertEquals("\u200bx\ufeff\u180e", PythonText.strip("\u200bx\ufeff\u180e"));
        assertTrue(PythonText.isPythonSpace('\u00a0'));
        assertFalse(PythonText.isPythonSpace('\u200b'));
    }
}
