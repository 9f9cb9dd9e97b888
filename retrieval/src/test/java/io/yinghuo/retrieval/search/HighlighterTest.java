package io.yinghuo.retrieval.search;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a reader sees of a passage in the search results: which words of the question are marked, and which
 * window of {@value Highlighter#SNIPPET_CHARS} characters is shown (the one holding the most marked text, started at
 * a sentence start within 30 characters before it).
 */
class HighlighterTest {

    @TempDir
    static Path dir;
    static ChunkIndex index;
    static ChunkSearcher searcher;

    @BeforeAll
    static void open() throws IOException {
        index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID);
        searcher = new ChunkSearcher(index);
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    /** {@code n} characters of text without sentence punctuation. */
    private static String filler(int n) {
        String ten = "甲乙丙丁戊己庚辛壬癸";
        return ten.repeat(n / 10 + 1).substring(0, n);
    }

    private static Snippet snippet(String text, Highlight... marks) {
        return searcher.highlighter("无关").snippet(text, List.of(marks));
    }

    private static List<String> marked(String question, String text) {
        return searcher.highlighter(question).highlights(text).stream()
                .map(h -> text.substring(h.start(), h.end())).toList();
    }

    @Test
    void theWindowHoldsTheMostMarkedTextNotTheFirstMark() {
        // three marks of 4 characters early, one of 3 late: the early window wins, starting 10 before its first mark
        String text = filler(500);
        Snippet snippet = snippet(text, new Highlight(30, 34), new Highlight(50, 54), new Highlight(70, 74),
                new Highlight(400, 403));
        assertEquals(20, snippet.chunkOffset());
        assertEquals(text.substring(20, 180), snippet.text());
        assertEquals(List.of(new Highlight(10, 14), new Highlight(30, 34), new Highlight(50, 54)),
                snippet.highlights());
        assertTrue(snippet.truncatedStart() && snippet.truncatedEnd());
    }

    @Test
    void ofTwoEquallyMarkedWindowsTheEarlierIsShown() {
        Snippet snippet = snippet(filler(500), new Highlight(50, 54), new Highlight(300, 304));
        assertEquals(40, snippet.chunkOffset());
        assertEquals(List.of(new Highlight(10, 14)), snippet.highlights());
    }

    @Test
    void marksAtTheEdgesOfTheWindowAreShown() {
        // a mark at the very start of the text and one ending at the window's last character
        String text = filler(500);
        Snippet snippet = snippet(text, new Highlight(0, 6), new Highlight(154, 160), new Highlight(300, 304));
        assertEquals(0, snippet.chunkOffset());
        assertEquals(List.of(new Highlight(0, 6), new Highlight(154, 160)), snippet.highlights());
        assertFalse(snippet.truncatedStart(), "the window starts the text");
        assertTrue(snippet.truncatedEnd());
    }

    @Test
    void marksAtTheVeryStartOrEndOfTheTextCountForTheirWindow() {
        // 6 marked characters at the start outweigh 5 in the middle; so do 20 ending the text
        String text = filler(500);
        assertEquals(0, snippet(text, new Highlight(0, 6), new Highlight(250, 255)).chunkOffset());
        Snippet last = snippet(text, new Highlight(100, 105), new Highlight(480, 500));
        assertEquals(340, last.chunkOffset());
        assertEquals(List.of(new Highlight(140, 160)), last.highlights());
    }

    @Test
    void aMarkNearTheEndShowsTheLast160Characters() {
        String text = filler(500);
        Snippet snippet = snippet(text, new Highlight(480, 490));
        assertEquals(340, snippet.chunkOffset());
        assertEquals(text.substring(340), snippet.text());
        assertEquals(List.of(new Highlight(140, 150)), snippet.highlights());
        assertTrue(snippet.truncatedStart());
        assertFalse(snippet.truncatedEnd(), "the window ends the text");
    }

    @Test
    void theWindowStartsAtASentenceStartUpTo30CharactersBeforeIt() {
        // The mark at 200 puts the window at 190; a sentence ending at 159 (its next character is 30 before 190)
        // moves it to 160, one ending at 158 is too far.
        for (char end : new char[] {'。', '！', '？', '；', '\n'}) {
            StringBuilder text = new StringBuilder(filler(500));
            text.setCharAt(159, end);
            Snippet snippet = snippet(text.toString(), new Highlight(200, 204));
            assertEquals(160, snippet.chunkOffset(), "after " + end);
            assertEquals(List.of(new Highlight(40, 44)), snippet.highlights());
            assertTrue(snippet.truncatedStart());
        }
        StringBuilder far = new StringBuilder(filler(500));
        far.setCharAt(158, '。');
        far.setCharAt(100, '，');
        assertEquals(190, snippet(far.toString(), new Highlight(200, 204)).chunkOffset());
    }

    @Test
    void aShortTextIsItsOwnSnippet() {
        String text = filler(160);
        Snippet snippet = snippet(text, new Highlight(150, 155));
        assertEquals(text, snippet.text());
        assertEquals(List.of(new Highlight(150, 155)), snippet.highlights());
        assertFalse(snippet.truncatedStart() || snippet.truncatedEnd());
    }

    @Test
    void overlappingAndTouchingMarksBecomeOneMark() {
        assertEquals(List.of("故宫博物院"), marked("故宫博物院", "北京故宫博物院很大。"));
        assertEquals(List.of("北京HTML"), marked("北京 HTML", "北京HTML教程"));
        assertEquals(List.of("北京", "HTML"), marked("北京 HTML", "北京的HTML教程"));
        // 宫博 is one of the question's bigrams though no word: marks of both fields, in the order of the text
        assertEquals(List.of("宫博", "故宫博物院"), marked("故宫博物院", "宫博一下，故宫博物院"));
    }

    @Test
    void singleHanCharactersAreMarkedOnlyWhenTheQuestionHasNothingLonger() {
        assertEquals(List.of("山"), marked("山", "玉山很高"));
        assertEquals(List.of("玉山"), marked("玉山 的", "玉山的高度是多少"));
        // a single Latin letter is a word like any other
        assertEquals(List.of("C"), marked("C", "学C很难"));
        assertEquals(List.of("C", "语言"), marked("C语言", "学C和语言"));
    }
}
