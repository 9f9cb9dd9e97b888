package io.yinghuo.retrieval.analysis;

import com.ibm.icu.text.Transliterator;

/**
 * Folds text so that traditional and simplified Chinese, and full-width and half-width forms, index to the same terms.
 *
 * <p>Why a character table and not the ICU transliterator at analysis time: ICU's {@code Traditional-Simplified}
 * transform is (for the BMP) a character-by-character mapping, so it can be captured once in a {@code char[]} table.
 * A table lookup is a few nanoseconds per character (the transliterator is orders of magnitude slower), and because
 * every character maps to exactly one character, offsets are unchanged: highlights computed on folded text are
 * valid on the original. Characters whose ICU mapping is not a single BMP character are left as they are.
 *
 * <p>What is folded: CJK ideographs traditional to simplified (ICU {@code Traditional-Simplified}, e.g. 體→体,
 * 臺→台), full-width ASCII U+FF01..U+FF5E to ASCII, the ideographic space U+3000 to a space. Case is left to the
 * analyzers' lower-case filters.
 */
public final class ChineseTextNormalizer {

    private static final char[] TABLE = buildTable();

    private ChineseTextNormalizer() {
    }

    /** The folded form of one UTF-16 unit (surrogates and unmapped characters come back unchanged). */
    public static char fold(char c) {
        return TABLE[c];
    }

    /** Folds {@code chars[from, from + length)} in place. */
    public static void foldInPlace(char[] chars, int from, int length) {
        char[] table = TABLE;
        for (int i = from, end = from + length; i < end; i++) {
            chars[i] = table[chars[i]];
        }
    }

    /** The folded form of {@code text}; same length, so every offset stays valid. */
    public static String fold(String text) {
        char[] chars = text.toCharArray();
        foldInPlace(chars, 0, chars.length);
        return new String(chars);
    }

    private static char[] buildTable() {
        char[] table = new char[Character.MAX_VALUE + 1];
        for (int c = 0; c < table.length; c++) {
            table[c] = (char) c;
        }
        Transliterator toSimplified = Transliterator.getInstance("Traditional-Simplified");
        // CJK Extension A, the unified ideographs, and the compatibility ideographs.
        foldRange(table, toSimplified, 0x3400, 0x4DBF);
        foldRange(table, toSimplified, 0x4E00, 0x9FFF);
        foldRange(table, toSimplified, 0xF900, 0xFAFF);
        for (int c = 0xFF01; c <= 0xFF5E; c++) {
            table[c] = (char) (c - 0xFF01 + 0x21);
        }
        table[0x3000] = ' ';
        return table;
    }

    /**
     * Transliterates the whole range as one string (fast) and keeps position-wise results when the lengths agree;
     * otherwise falls back to one character at a time.
     */
    private static void foldRange(char[] table, Transliterator transform, int first, int last) {
        StringBuilder range = new StringBuilder(last - first + 1);
        for (int c = first; c <= last; c++) {
            range.append((char) c);
        }
        String folded = transform.transliterate(range.toString());
        if (folded.length() == range.length()) {
            for (int i = 0; i < folded.length(); i++) {
                table[first + i] = folded.charAt(i);
            }
            return;
        }
        for (int c = first; c <= last; c++) {
            String one = transform.transliterate(String.valueOf((char) c));
            if (one.length() == 1) {
                table[c] = one.charAt(0);
            }
        }
    }
}
