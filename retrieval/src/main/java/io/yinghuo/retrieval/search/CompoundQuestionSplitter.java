package io.yinghuo.retrieval.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a compound question ("A的…？另外，B的…？") into its parts, so that each part gets its own share of the
 * results: asked as one query, the part with the rarer terms takes every top slot and the other part's document
 * is missed.
 *
 * <p>Rule: split after sentence-final question/exclamation marks and full stops ({@code ？?！!。}) and after
 * semicolons ({@code ；;}), then drop a leading connective such as "另外" or "还有" with its comma. A part counts only
 * when it still has at least {@value #MIN_PART_LETTERS} letters or digits; a question that yields fewer than two
 * such parts is not compound.
 */
public final class CompoundQuestionSplitter {

    static final int MIN_PART_LETTERS = 4;

    private static final String[] CONNECTIVES = {"另外", "此外", "还有", "還有", "以及", "并且", "並且", "同时", "同時",
        "然后", "然後", "那么", "那麼", "而且"};

    private CompoundQuestionSplitter() {
    }

    /** The parts of the question; a single element (the trimmed question) when it is not compound. */
    public static List<String> split(String question) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < question.length(); i++) {
            if (isBoundary(question.charAt(i))) {
                addPart(parts, question.substring(start, i + 1));
                start = i + 1;
            }
        }
        addPart(parts, question.substring(start));
        if (parts.size() < 2) {
            return List.of(question.strip());
        }
        return List.copyOf(parts);
    }

    private static boolean isBoundary(char c) {
        return c == '？' || c == '?' || c == '！' || c == '!' || c == '。' || c == '；' || c == ';';
    }

    private static void addPart(List<String> parts, String raw) {
        String part = stripConnective(raw.strip());
        if (letters(part) >= MIN_PART_LETTERS) {
            parts.add(part);
        }
    }

    private static String stripConnective(String part) {
        for (String connective : CONNECTIVES) {
            if (part.startsWith(connective)) {
                String rest = part.substring(connective.length()).strip();
                while (!rest.isEmpty() && (rest.charAt(0) == '，' || rest.charAt(0) == ','
                        || rest.charAt(0) == '、')) {
                    rest = rest.substring(1).strip();
                }
                return rest;
            }
        }
        return part;
    }

    private static int letters(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetterOrDigit(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }
}
