package io.yinghuo.retrieval.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Exact match and F1 of an answer as the official CMRC 2018 evaluation script scores them
 * (ymcui/cmrc2018: squad-style-data/cmrc2018_evaluate.py, v5):
 * <ul>
 *   <li>text is lower-cased and stripped; the script's punctuation list ({@code - : _ * ^ / \ ~ ` + =} and
 *       {@code ，。：？！“”；’《》·、「」（）－～『』}) is removed;</li>
 *   <li>segmentation: every character in U+4E00–U+9FA5 is one segment, other text goes through NLTK's
 *       {@code word_tokenize} — approximated here by runs of letters/digits (with inner "." "," between digits, as
 *       in "147.0") and single other non-space symbols, which is what {@code word_tokenize} gives for the short
 *       Latin and number spans in these answers;</li>
 *   <li>F1: the <em>longest common substring</em> of the segment lists (the script's {@code find_lcs} is
 *       contiguous), precision over the prediction's segments, recall over the answer's; maximum over the
 *       references;</li>
 *   <li>EM: the punctuation-free texts are equal, for any reference.</li>
 * </ul>
 */
public final class CmrcScorer {

    /** The script's {@code sp_char}; its "……" entry never matches a single character, so it is left out. */
    private static final String PUNCTUATION = "-:_*^/\\~`+=，。：？！“”；’《》·、「」（）－～『』";

    private CmrcScorer() {
    }

    public static double f1(List<String> references, String prediction) {
        double best = 0;
        List<String> predicted = segments(prediction);
        for (String reference : references) {
            List<String> answer = segments(reference);
            int lcs = longestCommonRun(answer, predicted);
            if (lcs == 0) {
                continue;
            }
            double precision = (double) lcs / predicted.size();
            double recall = (double) lcs / answer.size();
            best = Math.max(best, 2 * precision * recall / (precision + recall));
        }
        return best;
    }

    public static boolean exactMatch(List<String> references, String prediction) {
        String predicted = removePunctuation(prediction);
        for (String reference : references) {
            if (removePunctuation(reference).equals(predicted)) {
                return true;
            }
        }
        return false;
    }

    static String removePunctuation(String text) {
        String s = text.toLowerCase(Locale.ROOT).strip();
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (PUNCTUATION.indexOf(s.charAt(i)) < 0) {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }

    /** The script's {@code mixed_segmentation(text, rm_punc=True)}. */
    static List<String> segments(String text) {
        String s = text.toLowerCase(Locale.ROOT).strip();
        List<String> out = new ArrayList<>();
        StringBuilder other = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (PUNCTUATION.indexOf(c) >= 0) {
                continue;
            }
            if (c >= '\u4e00' && c <= '\u9fa5') {
                tokenize(other, out);
                out.add(String.valueOf(c));
            } else {
                other.append(c);
            }
        }
        tokenize(other, out);
        return out;
    }

    /** Approximates NLTK word_tokenize on a non-Chinese run (see the class comment). */
    private static void tokenize(StringBuilder run, List<String> out) {
        int i = 0;
        int n = run.length();
        while (i < n) {
            char c = run.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetterOrDigit(c)) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(run.charAt(i)) || (run.charAt(i) == '.'
                        || run.charAt(i) == ',') && i + 1 < n && Character.isDigit(run.charAt(i + 1))
                        && i > start && Character.isDigit(run.charAt(i - 1)))) {
                    i++;
                }
                out.add(run.substring(start, i));
            } else {
                out.add(String.valueOf(c));
                i++;
            }
        }
        run.setLength(0);
    }

    /** Length of the longest common contiguous run of segments (the script's find_lcs). */
    static int longestCommonRun(List<String> a, List<String> b) {
        int best = 0;
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < b.size(); j++) {
                current[j + 1] = a.get(i).equals(b.get(j)) ? previous[j] + 1 : 0;
                best = Math.max(best, current[j + 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return best;
    }
}
