package io.yinghuo.retrieval.rag;

import io.yinghuo.retrieval.analysis.ChineseTextNormalizer;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How much of a question a passage covers, as a relevance floor under BM25 (whose raw scores are not comparable
 * across questions, so they cannot say "nothing relevant"): the share of the question's key units found in the
 * passage. Key units are character bigrams of its Chinese text (traditional folded to simplified, so either script
 * matches the other) that contain no function or question character (的, 是, 什, 么, 哪…), and its Latin words and
 * numbers, lower-cased. A question with no such bigram falls back to its single content characters.
 */
public final class QueryCoverage {

    private static final String STOP_CHARS = "的是了吗呢什么哪谁几多少怎如何为请问在有一和与及其它他她这那个们吧啊被把于将从对也都就而或";

    private final Set<String> units;

    private QueryCoverage(Set<String> units) {
        this.units = units;
    }

    public static QueryCoverage of(String question) {
        String text = ChineseTextNormalizer.fold(question).toLowerCase(Locale.ROOT);
        Set<String> bigrams = new LinkedHashSet<>();
        Set<String> singles = new LinkedHashSet<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isHan(c)) {
                flush(word, bigrams);
                if (STOP_CHARS.indexOf(c) < 0) {
                    singles.add(String.valueOf(c));
                    if (i + 1 < text.length() && isHan(text.charAt(i + 1))
                            && STOP_CHARS.indexOf(text.charAt(i + 1)) < 0) {
                        bigrams.add(text.substring(i, i + 2));
                    }
                }
            } else if (Character.isLetterOrDigit(c)) {
                word.append(c);
            } else {
                flush(word, bigrams);
            }
        }
        flush(word, bigrams);
        return new QueryCoverage(bigrams.isEmpty() ? singles : bigrams);
    }

    private static void flush(StringBuilder word, Set<String> units) {
        if (word.length() > 0) {
            units.add(word.toString());
            word.setLength(0);
        }
    }

    private static boolean isHan(char c) {
        return Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN;
    }

    /** Whether the question has anything to look for. */
    public boolean isEmpty() {
        return units.isEmpty();
    }

    /** The share of the question's key units found in {@code passage}, in [0, 1]; 0 for an empty question. */
    public double in(CharSequence passage) {
        if (units.isEmpty()) {
            return 0;
        }
        String text = ChineseTextNormalizer.fold(passage.toString()).toLowerCase(Locale.ROOT);
        int found = 0;
        for (String unit : units) {
            if (text.contains(unit)) {
                found++;
            }
        }
        return (double) found / units.size();
    }

    Set<String> units() {
        return units;
    }
}
