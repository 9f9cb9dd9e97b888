package io.yinghuo.ingest.ocr;

/**
 * Approximate substring matching (Sellers 1980, "The theory and computation of evolutionary distances: pattern
 * recognition"): the fewest insertions, deletions and substitutions that turn some substring of a text into the
 * pattern, over code points.
 */
final class ApproximateMatch {

    private ApproximateMatch() {
    }

    /** The edit distance between {@code pattern} and the substring of {@code text} closest to it. */
    static int distance(String pattern, String text) {
        return search(pattern, text)[0];
    }

    /** The substring of {@code text} closest to {@code pattern}. */
    static String closest(String pattern, String text) {
        int[] found = search(pattern, text);
        int[] t = text.codePoints().toArray();
        return new String(t, found[1], found[2] - found[1]);
    }

    /** {distance, start, end} of the best match; the first end wins a tie. */
    private static int[] search(String pattern, String text) {
        int[] p = pattern.codePoints().toArray();
        int[] t = text.codePoints().toArray();
        // column j holds, for each pattern prefix, the distance to the best substring ending at j, and its start
        int[] cost = new int[p.length + 1];
        int[] start = new int[p.length + 1];
        for (int i = 0; i <= p.length; i++) {
            cost[i] = i;
        }
        int best = cost[p.length];
        int bestStart = 0;
        int bestEnd = 0;
        for (int j = 1; j <= t.length; j++) {
            int diagonalCost = cost[0];
            int diagonalStart = start[0];
            cost[0] = 0;
            start[0] = j;
            for (int i = 1; i <= p.length; i++) {
                int upCost = cost[i];
                int upStart = start[i];
                int substitute = diagonalCost + (p[i - 1] == t[j - 1] ? 0 : 1);
                int c = substitute;
                int s = diagonalStart;
                if (cost[i - 1] + 1 < c) {
                    c = cost[i - 1] + 1;
                    s = start[i - 1];
                }
                if (upCost + 1 < c) {
                    c = upCost + 1;
                    s = upStart;
                }
                diagonalCost = upCost;
                diagonalStart = upStart;
                cost[i] = c;
                start[i] = s;
            }
            if (cost[p.length] < best) {
                best = cost[p.length];
                bestStart = start[p.length];
                bestEnd = j;
            }
        }
        return new int[] {best, bestStart, bestEnd};
    }
}
