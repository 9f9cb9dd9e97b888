package io.yinghuo.retrieval.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values worked out by hand from ymcui/cmrc2018 squad-style-data/cmrc2018_evaluate.py. */
class CmrcScorerTest {

    @Test
    void segmentsChineseByCharacterAndOtherTextByWord() {
        // "-" is on the punctuation list, so it goes before the Latin run is tokenized.
        assertEquals(List.of("光", "荣", "和", "ωforce"), CmrcScorer.segments("光荣和ω-force"));
        assertEquals(List.of("1898", "年"), CmrcScorer.segments("1898年"));
        assertEquals(List.of("147.0"), CmrcScorer.segments("147.0"));
        assertEquals(List.of("hello", "world"), CmrcScorer.segments(" Hello  World "));
        assertEquals(List.of("北", "京"), CmrcScorer.segments("《北京》。"));
    }

    @Test
    void exactMatchIgnoresThePunctuationListAndCase() {
        assertTrue(CmrcScorer.exactMatch(List.of("《红楼梦》"), "红楼梦。"));
        assertTrue(CmrcScorer.exactMatch(List.of("x", "ABC"), "abc"));
        assertFalse(CmrcScorer.exactMatch(List.of("红楼梦"), "红楼梦是小说"));
    }

    @Test
    void f1UsesTheLongestCommonContiguousRun() {
        // answer 北京大学 (4 segments), prediction 北京大学创办于1898年 (4 + 3 + 1 + 1 = 9): lcs 4, p 4/9, r 1.
        assertEquals(2 * (4.0 / 9) / (4.0 / 9 + 1), CmrcScorer.f1(List.of("北京大学"), "北京大学创办于1898年"), 1e-9);
        // The script's LCS is contiguous: 北大 vs 北京大学 shares only one-character runs.
        assertEquals(2 * 0.5 * 0.25 / 0.75, CmrcScorer.f1(List.of("北京大学"), "北大"), 1e-9);
        assertEquals(0, CmrcScorer.f1(List.of("上海"), "北京"));
        assertEquals(1.0, CmrcScorer.f1(List.of("上海", "北京"), "北京"));
        assertEquals(3, CmrcScorer.longestCommonRun(List.of("a", "b", "c", "d"), List.of("x", "b", "c", "d")));
    }
    @Test
    void aPointOrCommaStaysInsideANumberOnlyBetweenDigits() {
        // NLTK keeps 1,000 and 3.14 whole; a point after or before a letter, or at the end, is a token of its own
        assertEquals(List.of("1,000", "3.14"), CmrcScorer.segments("1,000 3.14"));
        assertEquals(List.of("3", "."), CmrcScorer.segments("3."));
        assertEquals(List.of("a", ".", "5"), CmrcScorer.segments("a.5"));
        assertEquals(List.of("1", ".", "a"), CmrcScorer.segments("1.a"));
        assertEquals(List.of("a", "@", "b"), CmrcScorer.segments("a@b"));
    }

    @Test
    void theEndsOfTheHanRangeAreChineseCharacters() {
        // the script's range is U+4E00 to U+9FA5, both included
        assertEquals(List.of("一", "a"), CmrcScorer.segments("一a"));
        assertEquals(List.of("a", "龥"), CmrcScorer.segments("a龥"));
        // and the first character of its punctuation list is punctuation too
        assertTrue(CmrcScorer.exactMatch(List.of("a-b"), "ab"));
    }
}
