package io.yinghuo.ingest.ocr;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The benchmark's approximate matching against the brute force: every substring's edit distance. */
class ApproximateMatchTest {

    @Test
    void agreesWithEverySubstringsEditDistance() {
        Random random = new Random(17);
        for (int trial = 0; trial < 300; trial++) {
            String pattern = randomText(random, 1 + random.nextInt(6));
            String text = randomText(random, random.nextInt(12));
            int brute = pattern.length();
            for (int a = 0; a <= text.length(); a++) {
                for (int b = a; b <= text.length(); b++) {
                    brute = Math.min(brute, editDistance(pattern, text.substring(a, b)));
                }
            }
            assertEquals(brute, ApproximateMatch.distance(pattern, text), pattern + " in " + text);
            assertEquals(brute, editDistance(pattern, ApproximateMatch.closest(pattern, text)), pattern + " in " + text);
        }
        assertEquals("萄县", ApproximateMatch.closest("蓟县", "位于天津的萄县北部"));
    }

    private static String randomText(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append("蓟萄县天津ab".charAt(random.nextInt(7)));
        }
        return s.toString();
    }

    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                d[i][j] = i == 0 ? j : j == 0 ? i : Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                        d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
        }
        return d[a.length()][b.length()];
    }
}
