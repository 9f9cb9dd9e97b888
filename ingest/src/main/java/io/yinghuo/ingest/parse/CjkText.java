package io.yinghuo.ingest.parse;

/**
 * Joining wrapped lines the way a reader would: a line break between two Chinese/Japanese characters disappears
 * (Chinese has no spaces between words, so "中文\n内容" is "中文内容"), a hyphen that splits an English word at a line
 * end is removed, any other line break becomes one space.
 */
final class CjkText {

    private CjkText() {
    }

    static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3000 && c <= 0x30FF)
                || (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
    }

    /**
     * Collapses every whitespace run to one space, or to nothing when the run contains a line break and sits
     * between two CJK characters; strips the ends.
     */
    static String joinLines(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (!isSpace(c)) {
                out.append(c);
                i++;
                continue;
            }
            boolean lineBreak = false;
            int j = i;
            while (j < n && isSpace(s.charAt(j))) {
                lineBreak |= s.charAt(j) == '\n' || s.charAt(j) == '\r';
                j++;
            }
            if (out.length() > 0 && j < n) {
                int before = Character.codePointBefore(out, out.length());
                int after = Character.codePointAt(s, j);
                if (lineBreak && isCjk(before) && isCjk(after)) {
                    // join directly
                } else if (lineBreak && before == '-' && out.length() >= 2
                        && Character.isLowerCase(out.charAt(out.length() - 2)) && Character.isLowerCase(after)) {
                    out.setLength(out.length() - 1);
                } else {
                    out.append(' ');
                }
            }
            i = j;
        }
        return out.toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u00A0' || c == '\u000B';
    }
}
