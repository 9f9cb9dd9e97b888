package io.yinghuo.ingest.chunk;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimate counts by kind of character, as {@link EstimatingTokenCounter}'s comment describes it, for every
 * member of a kind, the first and last included: a word of z's is a word like any other (not a run of punctuation),
 * a 0 or a 9 is a digit, 一 (U+4E00, the first of the CJK Unified Ideographs block) and U+9FFF (its last) are hanzi.
 * An empty text, or an empty range of one, costs nothing (a chunker asking about nothing must not see two tokens).
 * How close the costs are to the real tokenizer is {@link EstimatorCalibrationTest}'s concern.
 */
class EstimatingTokenCounterTest {

    private final TokenCounter estimator = TokenCounter.estimator();

    @Test
    void nothingCostsNothing() {
        assertEquals(0, estimator.count(""));
        assertEquals(0, estimator.count("长江", 1, 1));
        assertEquals(0, estimator.count("长江", 2, 2));
        assertTrue(estimator.count("长江", 1, 2) > 0, "one hanzi costs something");
    }

    @Test
    void everyLetterIsALetterOfTheWord() {
        int word = estimator.count("mmmmmm");
        int inside = estimator.count("xmmmmx");
        for (char c = 'a'; c <= 'z'; c++) {
            assertEquals(word, estimator.count(String.valueOf(c).repeat(6)), "a word of " + c);
            assertEquals(inside, estimator.count("x" + String.valueOf(c).repeat(4) + "x"), c + " inside a word");
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            assertEquals(word, estimator.count(String.valueOf(c).repeat(6)), "a word of " + c);
            assertEquals(inside, estimator.count("x" + String.valueOf(c).repeat(4) + "x"), c + " inside a word");
        }
        assertEquals(estimator.count("Berlin Madrid"), estimator.count("Zagreb Zurich"));
        assertEquals(estimator.count("Berlin Madrid"), estimator.count("Alaska Zambia"));
    }

    @Test
    void everyDigitIsADigit() {
        int digits = estimator.count("55555555");
        for (char c = '0'; c <= '9'; c++) {
            assertEquals(digits, estimator.count(String.valueOf(c).repeat(8)), "eight " + c);
        }
    }

    @Test
    void theWholeUnifiedIdeographsBlockIsHanzi() {
        int hanzi = estimator.count("中".repeat(10));
        assertEquals(hanzi, estimator.count("一".repeat(10)), "U+4E00");
        assertEquals(hanzi, estimator.count("\u9FFF".repeat(10)), "U+9FFF");
    }
}
