package io.yinghuo.model.generate;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopStringMatcherTest {

    @Test
    void holdsBackAPossibleStartUntilItIsDecided() {
        StopStringMatcher m = new StopStringMatcher(List.of("STOP"));
        assertEquals("Hello ", m.accept("Hello S"));
        assertEquals("", m.accept("T"));
        assertEquals("STx", m.accept("x"));
        assertEquals("ab", m.accept("abST"));
        assertEquals("", m.accept("O"));
        assertEquals("", m.accept("Pafter"));
        assertEquals("STOP", m.matched());
        assertEquals("", m.accept("more"));
        assertEquals("", m.finish());
    }

    @Test
    void finishReleasesAnUndecidedTail() {
        StopStringMatcher m = new StopStringMatcher(List.of("STOP"));
        assertEquals("a", m.accept("aSTO"));
        assertEquals("STO", m.finish());
        assertNull(m.matched());
    }

    @Test
    void theEarliestOfSeveralStopsWins() {
        StopStringMatcher m = new StopStringMatcher(List.of("cd", "bcx", "\n\n"));
        assertEquals("a", m.accept("abc"));
        assertEquals("b", m.accept("d")); // "bc" was held for "bcx"; "cd" then starts at the c
        assertEquals("cd", m.matched());
    }

    /** One piece holding two stops: the text is cut at the one that starts first, whatever the list's order. */
    @Test
    void theEarliestStopInTheTextWinsOverOneListedBefore() {
        StopStringMatcher m = new StopStringMatcher(List.of("STOP", "用户："));
        assertEquals("答案", m.accept("答案用户：再见STOP"));
        assertEquals("用户：", m.matched());
        assertEquals("", m.finish());
    }

    @Test
    void withoutStopsEverythingPassesAtOnce() {
        StopStringMatcher m = new StopStringMatcher(List.of());
        assertEquals("abc", m.accept("abc"));
        assertEquals("", m.finish());
    }

    /** Random pieces: the released text is always a prefix of the true answer and ends up equal to it. */
    @Test
    void neverReleasesTextThatTheStopWouldCut() {
        Random random = new Random(3);
        List<String> stops = List.of("</s>", "##", "好的。");
        String alphabet = "<>/s#好的。a ";
        for (int trial = 0; trial < 2000; trial++) {
            StringBuilder full = new StringBuilder();
            StopStringMatcher m = new StopStringMatcher(stops);
            StringBuilder released = new StringBuilder();
            int pieces = 1 + random.nextInt(8);
            for (int p = 0; p < pieces; p++) {
                StringBuilder piece = new StringBuilder();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    piece.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                full.append(piece);
                released.append(m.accept(piece.toString()));
                String expected = cut(full.toString(), stops);
                assertTrue(expected.startsWith(released.toString()),
                        "released \"" + released + "\" but the answer so far is \"" + expected + "\"");
            }
            released.append(m.finish());
            assertEquals(cut(full.toString(), stops), released.toString());
        }
    }

    private static String cut(String text, List<String> stops) {
        int end = text.length();
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return text.substring(0, end);
    }
}
