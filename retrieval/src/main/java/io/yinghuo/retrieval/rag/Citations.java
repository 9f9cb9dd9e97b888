package io.yinghuo.retrieval.rag;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the citations out of an answer: {@code [1]}, {@code [1][3]}, {@code [1, 2]}, {@code [1-3]}, and the
 * full-width forms {@code 【1】} / {@code ［1］} that Chinese models also write.
 */
public final class Citations {

    private static final Pattern MARK = Pattern.compile(
            "[\\[【［]\\s*(\\d{1,3}(?:\\s*[,，、;；\\-–~～]\\s*\\d{1,3})*)\\s*[\\]】］]");
    private static final Pattern NUMBER_OR_RANGE = Pattern.compile("(\\d{1,3})(?:\\s*[\\-–~～]\\s*(\\d{1,3}))?");
    /** A range wider than this is not a citation someone meant ("[1-100]"). */
    private static final int MAX_RANGE = 20;

    private Citations() {
    }

    /** The numbers cited, in order of first citation, without repeats. */
    public static List<Integer> numbers(String answer) {
        Set<Integer> numbers = new LinkedHashSet<>();
        Matcher mark = MARK.matcher(answer);
        while (mark.find()) {
            Matcher item = NUMBER_OR_RANGE.matcher(mark.group(1));
            while (item.find()) {
                int from = Integer.parseInt(item.group(1));
                int to = item.group(2) == null ? from : Integer.parseInt(item.group(2));
                if (to < from || to - from > MAX_RANGE) {
                    numbers.add(from);
                    continue;
                }
                for (int n = from; n <= to; n++) {
                    numbers.add(n);
                }
            }
        }
        return new ArrayList<>(numbers);
    }

    /**
     * The passages the answer cites, in order of first citation, from passages in number order ({@code [n]} is
     * {@code numbered.get(n - 1)}: evidence, or its sources); numbers that match no passage are ignored.
     */
    public static <T> List<T> cited(String answer, List<T> numbered) {
        List<T> cited = new ArrayList<>();
        for (int n : numbers(answer)) {
            if (n >= 1 && n <= numbered.size()) {
                cited.add(numbered.get(n - 1));
            }
        }
        return cited;
    }

    /** The numbers cited that match no evidence (a model citing [7] when there were five passages). */
    public static List<Integer> unknown(String answer, int evidenceCount) {
        return numbers(answer).stream().filter(n -> n < 1 || n > evidenceCount).toList();
    }

    /** The answer without its citation marks (for scoring answer text). */
    public static String strip(String answer) {
        return MARK.matcher(answer).replaceAll("");
    }
}
