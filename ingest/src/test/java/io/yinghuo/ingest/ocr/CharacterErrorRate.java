package io.yinghuo.ingest.ocr;

import java.text.Normalizer;

/**
 * Character error rate: the Levenshtein distance between the recognised and the printed text over the printed
 * text's length, counted in code points after dropping whitespace and NFKC-normalising both (so that a full-width
 * "，" read as "," or a full-width digit read as an ASCII one is not an error: the index normalises the same way).
 */
final class CharacterErrorRate {

    private CharacterErrorRate() {
    }

    static double of(String printed, String recognised) {
        int[] a = normalise(printed);
        int[] b = normalise(recognised);
        if (a.length == 0) {
            return b.length == 0 ? 0 : 1;
        }
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            current[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length] / (double) a.length;
    }

    private static int[] normalise(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).codePoints()
                .filter(c -> !Character.isWhitespace(c)).toArray();
    }
}
