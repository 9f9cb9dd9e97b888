package io.yinghuo.model.chat;

/**
 * Python's {@code str.strip()}, which the reference chat scripts (Meta's {@code chat_completion}, Firefly's
 * {@code multi_chat.py}) apply to messages. Java's {@link String#strip()} differs: it keeps U+00A0, U+2007 and
 * U+202F (no-break spaces) and U+0085, all of which Python's {@code str.isspace()} counts as whitespace.
 */
final class PythonText {

    private PythonText() {
    }

    static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isPythonSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /**
     * Python's whitespace: bidirectional class WS/B/S or category Zs. Every such character is in the BMP, so a
     * char test is exact (surrogates are never whitespace).
     */
    static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
