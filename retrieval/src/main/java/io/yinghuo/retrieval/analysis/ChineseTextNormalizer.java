package io.yinghuo.retrieval.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Folds text so that traditional and simplified Chinese, and full-width and half-width forms, index to the same terms.
 *
 * <p>Why a character table and not the ICU transliterator at analysis time: ICU's {@code Traditional-Simplified}
 * transform is (for the BMP) a character-by-character mapping, so it can be captured once in a {@code char[]} table.
 * A table lookup is a few nanoseconds per character (the transliterator is orders of magnitude slower), and because
 * every character maps to exactly one character, offsets are unchanged: highlights computed on folded text are
 * valid on the original. Characters whose ICU mapping is not a single BMP character are left as they are.
 *
 * <p>Why the mapping ships as a resource ({@value #TABLE_RESOURCE}, 2,853 pairs) instead of being asked of ICU at
 * start-up: building ICU's transliterator and running it over the CJK ranges took 0.35–0.45 s of a cold start, paid
 * by every command that analyzes text (a search, a small ingest). {@code ChineseTextNormalizerTest} checks the
 * resource against ICU character by character and writes a new one when an ICU upgrade changes the mapping.
 *
 * <p>What is folded: CJK ideographs traditional to simplified (ICU {@code Traditional-Simplified}, e.g. 體→体,
 * 臺→台), full-width ASCII U+FF01..U+FF5E to ASCII, the ideographic space U+3000 to a space. Case is left to the
 * analyzers' lower-case filters.
 */
public final class ChineseTextNormalizer {

    /** Resource name, next to this class. */
    static final String TABLE_RESOURCE = "traditional-to-simplified.txt";

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
        readTraditionalToSimplified(table);
        for (int c = 0xFF01; c <= 0xFF5E; c++) {
            table[c] = (char) (c - 0xFF01 + 0x21);
        }
        table[0x3000] = ' ';
        return table;
    }

    /** Lines of two characters, traditional then simplified, after a header of '#' lines. */
    private static void readTraditionalToSimplified(char[] table) {
        try (InputStream raw = ChineseTextNormalizer.class.getResourceAsStream(TABLE_RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException("fold table " + TABLE_RESOURCE + " missing from the class path");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                if (line.length() != 2) {
                    throw new IllegalStateException("fold table " + TABLE_RESOURCE + ": bad line '" + line + "'");
                }
                table[line.charAt(0)] = line.charAt(1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fold table " + TABLE_RESOURCE, e);
        }
    }
}
