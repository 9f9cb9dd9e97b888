package io.yinghuo.ingest.chunk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Splits text into sentences for Chinese and English. A sentence ends
 * <ul>
 *   <li>at a line break (a line is at most one paragraph);</li>
 *   <li>after 。！？；… (and ASCII ! ?), with any further terminators ("？！", "……") and closing quotes or brackets
 *       (”’」』）》】 ...) that follow staying with the sentence;</li>
 *   <li>after an English '.' followed by whitespace or the end, unless it belongs to an abbreviation ("Mr.", "e.g.",
 *       "U.S.", initials such as "J. K.") or the next word starts in lower case. Decimal points (3.14) and dots in
 *       names (example.com) are never followed by a space, so they never end a sentence.</li>
 * </ul>
 * Spans are trimmed of surrounding whitespace and whitespace-only spans are dropped.
 */
public final class SentenceSplitter {

    /** A half-open [start, end) range of the text. */
    public record Span(int start, int end) {
    }

    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs",
            "etc", "e.g", "i.e", "inc", "ltd", "co", "corp", "no", "fig", "figs", "al", "approx", "dept", "est", "jan",
            "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "mt", "gen",
            "col", "lt", "sgt", "rev", "vol", "pp", "ed", "eds", "cf", "ca", "viz", "p", "op", "cit", "ph.d", "a.m",
            "p.m");

    private SentenceSplitter() {
    }

    /** The sentences of the whole text. */
    public static List<Span> split(CharSequence text) {
        int[] flat = split(text, 0, text.length());
        List<Span> spans = new ArrayList<>(flat.length / 2);
        for (int i = 0; i < flat.length; i += 2) {
            spans.add(new Span(flat[i], flat[i + 1]));
        }
        return spans;
    }

    /** Sentences of {@code text[from, to)} as a flat array {s0, e0, s1, e1, ...} of absolute offsets. */
    static int[] split(CharSequence text, int from, int to) {
        SpanList out = new SpanList();
        int start = -1;
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '\n') {
                if (start >= 0) {
                    out.add(text, start, i);
                    start = -1;
                }
                i++;
                continue;
            }
            if (start < 0) {
                if (isSpace(c)) {
                    i++;
                    continue;
                }
                start = i;
            }
            int end = sentenceEndAfter(text, i, to);
            if (end > 0) {
                out.add(text, start, end);
                start = -1;
                i = end;
            } else {
                i++;
            }
        }
        if (start >= 0) {
            out.add(text, start, to);
        }
        return out.toArray();
    }

    /** If the character at {@code i} ends a sentence, the offset just after the sentence (closers included), else -1. */
    private static int sentenceEndAfter(CharSequence text, int i, int to) {
        char c = text.charAt(i);
        boolean strong = c == '。' || c == '！' || c == '？' || c == '；' || c == '…' || c == '\uFF61';
        if (!strong && c != '!' && c != '?' && c != '.') {
            return -1;
        }
        int end = i + 1;
        while (end < to && isTerminator(text.charAt(end))) {
            end++;
        }
        while (end < to && isCloser(text.charAt(end))) {
            end++;
        }
        if (strong) {
            return end;
        }
        boolean atBoundary = end == to || isSpace(text.charAt(end)) || text.charAt(end) == '\n';
        if (c != '.') {
            // "真的吗?好" and "Really? Yes" both end; "a?b" inside a token (URLs) does not.
            return atBoundary || isCjk(text.charAt(end)) ? end : -1;
        }
        if (!atBoundary) {
            return -1;
        }
        if (i + 1 < end && text.charAt(i + 1) == '.') {
            // "..." / ". . ." ellipsis followed by a space: a sentence end only before an upper-case start.
            return nextWordStartsUpper(text, end, to) ? end : -1;
        }
        if (isAbbreviation(text, i, from(text, i))) {
            return -1;
        }
        return nextWordStartsLower(text, end, to) ? -1 : end;
    }

    private static int from(CharSequence text, int dot) {
        int s = dot;
        while (s > 0 && (Character.isLetter(text.charAt(s - 1)) || text.charAt(s - 1) == '.')) {
            s--;
        }
        return s;
    }

    private static boolean isAbbreviation(CharSequence text, int dot, int wordStart) {
        if (wordStart == dot) {
            return false;
        }
        String word = text.subSequence(wordStart, dot).toString();
        if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
            return true; // an initial: "J. K. Rowling"
        }
        if (word.indexOf('.') > 0 && word.length() <= 6) {
            return true; // "U.S", "e.g", "Ph.D"
        }
        return ABBREVIATIONS.contains(word.toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean nextWordStartsLower(CharSequence text, int from, int to) {
        int j = skipSpaces(text, from, to);
        return j < to && text.charAt(j) != '\n' && Character.isLowerCase(text.charAt(j));
    }

    private static boolean nextWordStartsUpper(CharSequence text, int from, int to) {
        int j = skipSpaces(text, from, to);
        return j >= to || text.charAt(j) == '\n' || Character.isUpperCase(text.charAt(j)) || isCjk(text.charAt(j));
    }

    private static int skipSpaces(CharSequence text, int from, int to) {
        int j = from;
        while (j < to && isSpace(text.charAt(j))) {
            j++;
        }
        return j;
    }

    static boolean isTerminator(char c) {
        return c == '。' || c == '！' || c == '？' || c == '…' || c == '!' || c == '?' || c == '.' || c == '；';
    }

    static boolean isCloser(char c) {
        return c == '”' || c == '’' || c == '」' || c == '』' || c == '）' || c == '》' || c == '】' || c == '〕'
                || c == '〉' || c == '〗' || c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == '］'
                || c == '｝' || c == '＂' || c == '＇';
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\u3000' || c == '\u00A0' || c == '\f' || c == '\u000B';
    }

    static boolean isCjk(char c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3040 && c <= 0x30FF)
                || Character.isSurrogate(c);
    }

    /** Growable flat {start, end} pairs; adding trims trailing whitespace and drops empty spans. */
    private static final class SpanList {
        private int[] values = new int[32];
        private int size;

        void add(CharSequence text, int start, int end) {
            while (end > start && (isSpace(text.charAt(end - 1)) || text.charAt(end - 1) == '\n')) {
                end--;
            }
            if (end <= start) {
                return;
            }
            if (size + 2 > values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = start;
            values[size++] = end;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
