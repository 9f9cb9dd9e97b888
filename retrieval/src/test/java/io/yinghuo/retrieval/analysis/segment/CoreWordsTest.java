package io.yinghuo.retrieval.analysis.segment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core-word trie built from a small dictionary in smartcn's layout (an open-addressing table of first
 * characters, rows of word tails in ascending order, their frequencies). The real dictionary is built once per JVM
 * ({@link SmartcnDictionaries}) and checked against smartcn itself by {@code SmartcnSegmenterTest}; here every word,
 * prefix and refusal can be named.
 */
class CoreWordsTest {

    private static final char[] EMPTY = {};

    /**
     * Words: 中 5, 中华人民 2 (中华 and 中华人 are only prefixes), 中国 10, 中国人 3, 国 7, 国家 4, 一 1 and 龥 9 (the
     * two ends of smartcn's Han range), Ｘ 6 (a first character outside it); 人 has a slot but no row.
     */
    private static CoreWords dictionary() {
        char[] charSlots = {0, '中', '国', 0, '人', '一', '龥', 'Ｘ'};
        short[] rowOfSlot = {0, 0, 1, 0, 2, 3, 4, 5};
        char[][][] tailRows = {
                {null, "华人民".toCharArray(), "国".toCharArray(), "国人".toCharArray()},
                {EMPTY, "家".toCharArray()},
                null,
                {EMPTY},
                {null},
                {EMPTY}};
        int[][] frequencyRows = {{5, 2, 10, 3}, {7, 4}, null, {1}, {9}, {6}};
        return CoreWords.build(rowOfSlot, charSlots, tailRows, frequencyRows);
    }

    private static int frequency(CoreWords words, String word) {
        return words.frequencyOf(word.toCharArray());
    }

    @Test
    void everyWordHasItsFrequencyAndNothingElseIsAWord() {
        CoreWords words = dictionary();
        assertEquals(5, frequency(words, "中"));
        assertEquals(2, frequency(words, "中华人民"));
        assertEquals(10, frequency(words, "中国"));
        assertEquals(3, frequency(words, "中国人"));
        assertEquals(7, frequency(words, "国"));
        assertEquals(4, frequency(words, "国家"));
        assertEquals(1, frequency(words, "一"));
        assertEquals(9, frequency(words, "龥"));
        assertEquals(6, frequency(words, "Ｘ"));
        for (String absent : new String[] {"人", "家", "中人", "国中", "中国人民", "Ｘ中", "丁", "", "X"}) {
            assertEquals(0, frequency(words, absent), absent);
        }
        // one node per distinct prefix: the root, 中 中华 中华人 中华人民 中国 中国人, 国 国家, 一, 龥, Ｘ
        assertEquals(12, words.nodeCount());
    }

    @Test
    void prefixesLeadOnButAreNoWords() {
        CoreWords words = dictionary();
        int zhong = words.child(CoreWords.ROOT, '中');
        int zhonghua = words.child(zhong, '华');
        assertTrue(zhonghua > 0);
        assertFalse(words.isWord(zhonghua), "中华 is only the start of 中华人民");
        assertEquals(0, words.frequency(zhonghua));
        int zhonghuaren = words.child(zhonghua, '人');
        assertFalse(words.isWord(zhonghuaren));
        int zhonghuarenmin = words.child(zhonghuaren, '民');
        assertTrue(words.isWord(zhonghuarenmin));
        assertEquals(2, words.frequency(zhonghuarenmin));
        assertTrue(words.isWord(zhong));
        assertEquals(-1, words.child(zhonghuarenmin, '共'), "no word goes on");
    }

    @Test
    void firstCharactersAtTheEndsOfTheHanRangeAndOutsideItAreFound() {
        CoreWords words = dictionary();
        assertTrue(words.child(CoreWords.ROOT, '一') > 0);
        assertTrue(words.child(CoreWords.ROOT, '龥') > 0);
        assertTrue(words.child(CoreWords.ROOT, 'Ｘ') > 0);
        CoreWords none = CoreWords.build(new short[] {0}, new char[] {'中'}, new char[][][] {{EMPTY}},
                new int[][] {{1}});
        for (char c : new char[] {'一', '龥', '丁', 'Ｘ', 'a'}) {
            assertEquals(-1, none.child(CoreWords.ROOT, c), "no word starts with " + c);
        }
    }

    private static String refusal(short[] rowOfSlot, char[] charSlots, char[][][] tailRows, int[][] frequencyRows) {
        return assertThrows(IllegalStateException.class,
                () -> CoreWords.build(rowOfSlot, charSlots, tailRows, frequencyRows)).getMessage();
    }

    @Test
    void aDamagedDictionaryIsRefusedWithTheReason() {
        char[][][] oneRow = {{EMPTY}};
        int[][] oneFrequency = {{1}};
        assertEquals("smartcn core dictionary: tables of different lengths",
                refusal(new short[] {0, 0}, new char[] {'中'}, oneRow, oneFrequency));
        assertEquals("smartcn core dictionary: tables of different lengths",
                refusal(new short[] {0}, new char[] {'中'}, oneRow, new int[][] {{1}, {2}}));
        assertEquals("smartcn core dictionary: row of '中' has words and frequencies of different lengths",
                refusal(new short[] {0}, new char[] {'中'}, new char[][][] {{EMPTY, "国".toCharArray()}},
                        oneFrequency));
        assertEquals("smartcn core dictionary: row of '中' has words and frequencies of different lengths",
                refusal(new short[] {0}, new char[] {'中'}, oneRow, new int[][] {null}));
        assertEquals("smartcn core dictionary: character '中' appears twice",
                refusal(new short[] {0, 0}, new char[] {'中', '中'}, oneRow, oneFrequency));
        assertEquals("smartcn core dictionary: row of '中' is not in strictly ascending order at word 1",
                refusal(new short[] {0}, new char[] {'中'}, new char[][][] {{"国".toCharArray(), EMPTY}},
                        new int[][] {{1, 2}}));
        assertEquals("smartcn core dictionary: row of '中' is not in strictly ascending order at word 2",
                refusal(new short[] {0}, new char[] {'中'},
                        new char[][][] {{EMPTY, "国".toCharArray(), "国".toCharArray()}}, new int[][] {{1, 2, 3}}));
        CoreWords rare = CoreWords.build(new short[] {0}, new char[] {'中'}, new char[][][] {{EMPTY}},
                new int[][] {{0}});
        assertTrue(rare.isWord(rare.child(CoreWords.ROOT, '中')), "a word of frequency 0 is still a word");
        assertEquals("smartcn core dictionary: negative frequency in row of '中'",
                refusal(new short[] {0}, new char[] {'中'}, new char[][][] {{EMPTY, "国".toCharArray()}},
                        new int[][] {{1, -1}}));
    }
}
