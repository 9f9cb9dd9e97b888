package io.yinghuo.ingest.parse;

/**
 * An upper bound of how deeply a Markdown text nests lists and block quotes, read from the lines' prefixes before
 * the CommonMark parser builds (and the text walker descends) a tree that deep. In CommonMark a nested list item must
 * be indented at least to its parent's content, two columns or more per level, or be opened on the same line
 * ("- - x"); a quote level is one more '>' (https://spec.commonmark.org/0.31.2/#list-items, #block-quotes). So
 * half the indentation plus the markers that open a line bounds its depth. Fenced code is skipped: its lines are
 * text, however they are indented.
 *
 * <p>It exists because a list nested 5,000 deep made the walk overflow the stack (or, on a bigger stack, take
 * 28 s); such a file is now refused by an explicit limit, before any recursion.
 */
final class MarkdownNesting {

    /** Real documents nest lists and quotes a handful of levels; 64 leaves room for indented code that looks like lists. */
    static final int MAX_DEPTH = 64;

    private MarkdownNesting() {
    }

    /** The largest depth bound of any line outside fenced code. */
    static int depth(CharSequence text) {
        int max = 0;
        boolean fenced = false;
        char fence = 0;
        int n = text.length();
        int lineStart = 0;
        while (lineStart < n) {
            int lineEnd = lineStart;
            while (lineEnd < n && text.charAt(lineEnd) != '\n') {
                lineEnd++;
            }
            int columns = 0;
            int i = lineStart;
            for (; i < lineEnd && (text.charAt(i) == ' ' || text.charAt(i) == '\t'); i++) {
                columns += text.charAt(i) == '\t' ? 4 : 1;
            }
            if (startsFence(text, i, lineEnd)) {
                char c = text.charAt(i);
                if (!fenced) {
                    fenced = true;
                    fence = c;
                } else if (c == fence) {
                    fenced = false;
                }
            } else if (!fenced) {
                int markers = markers(text, i, lineEnd);
                if (markers > 0) {
                    max = Math.max(max, columns / 2 + markers);
                }
            }
            lineStart = lineEnd + 1;
        }
        return max;
    }

    /**
     * Most emphasis and link openers ('*', '_', '[') one paragraph may hold before they are read as plain characters.
     * CommonMark nests emphasis as deep as its delimiters allow ("****x****" is strong inside strong, and separate
     * runs nest too), and commonmark-java merges the text of nested inline nodes recursively: 40,000 asterisks
     * overflowed its stack. A thousand delimiters nest at most 500 deep, which it handles.
     */
    static final int MAX_INLINE_DELIMITERS = 1_000;

    /**
     * {@code text} with the emphasis and link openers of each paragraph (outside fenced code) that holds more than
     * {@value #MAX_INLINE_DELIMITERS} of them escaped with a backslash, so that the parser reads them as characters;
     * the same instance when there is none.
     */
    static String escapeCrowdedEmphasis(String text) {
        java.util.List<int[]> crowded = new java.util.ArrayList<>();
        boolean fenced = false;
        char fence = 0;
        int paragraphStart = 0;
        int delimiters = 0;
        int n = text.length();
        for (int lineStart = 0; lineStart <= n; ) {
            int lineEnd = text.indexOf('\n', lineStart);
            lineEnd = lineEnd < 0 ? n : lineEnd;
            int i = lineStart;
            while (i < lineEnd && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            boolean fenceLine = startsFence(text, i, lineEnd);
            if (fenceLine || i == lineEnd || fenced) {
                // A blank line, a fence or code ends the paragraph before it.
                if (delimiters > MAX_INLINE_DELIMITERS) {
                    crowded.add(new int[] {paragraphStart, lineStart});
                }
                delimiters = 0;
                paragraphStart = lineEnd + 1;
                if (fenceLine && (!fenced || text.charAt(i) == fence)) {
                    fenced = !fenced;
                    fence = text.charAt(i);
                }
            } else {
                delimiters += delimiters(text, lineStart, lineEnd);
            }
            lineStart = lineEnd + 1;
        }
        if (delimiters > MAX_INLINE_DELIMITERS) {
            crowded.add(new int[] {paragraphStart, n});
        }
        if (crowded.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 2 * MAX_INLINE_DELIMITERS);
        int copied = 0;
        for (int[] range : crowded) {
            out.append(text, copied, range[0]);
            escape(text, range[0], range[1], out);
            copied = range[1];
        }
        return out.append(text, copied, n).toString();
    }

    private static int delimiters(String text, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '_' || c == '[') {
                count++;
            }
        }
        return count;
    }

    private static void escape(String text, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if ((c == '*' || c == '_' || c == '[') && (i == 0 || text.charAt(i - 1) != '\\')) {
                out.append('\\');
            }
            out.append(c);
        }
    }

    private static boolean startsFence(CharSequence text, int i, int end) {
        if (i + 3 > end) {
            return false;
        }
        char c = text.charAt(i);
        return (c == '`' || c == '~') && text.charAt(i + 1) == c && text.charAt(i + 2) == c;
    }

    /** How many list markers ("-", "*", "+", "1." or "1)" before a space) and '>' open the line at {@code i}. */
    private static int markers(CharSequence text, int i, int end) {
        int count = 0;
        while (i < end) {
            char c = text.charAt(i);
            int next;
            if (c == '>') {
                next = i + 1;
            } else if ((c == '-' || c == '*' || c == '+') && i + 1 < end && isSpace(text.charAt(i + 1))) {
                next = i + 1;
            } else if (c >= '0' && c <= '9') {
                int j = i;
                while (j < end && j - i < 9 && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
                    j++;
                }
                if (j + 1 < end && (text.charAt(j) == '.' || text.charAt(j) == ')') && isSpace(text.charAt(j + 1))) {
                    next = j + 1;
                } else {
                    return count;
                }
            } else {
                return count;
            }
            count++;
            i = next;
            while (i < end && isSpace(text.charAt(i))) {
                i++;
            }
        }
        return count;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
