package io.yinghuo.ingest.ocr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tesseract's TSV and the joining of its words into running text with word offsets. */
class OcrParagraphsTest {

    private static final String TSV = String.join("\n",
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
            "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t",
            "5\t1\t1\t1\t1\t1\t200\t200\t100\t50\t96.5\t萤火虫",
            "5\t1\t1\t1\t1\t2\t300\t200\t60\t50\t95\t是",
            "5\t1\t1\t1\t2\t1\t200\t280\t100\t50\t91\t昆虫，",
            "5\t1\t1\t1\t2\t2\t300\t280\t100\t50\t90\tPython",
            "5\t1\t1\t1\t3\t1\t200\t360\t100\t50\t90\tcode",
            "5\t1\t1\t1\t3\t2\t300\t360\t100\t50\t90\t示例。",
            "5\t1\t1\t2\t1\t1\t200\t500\t100\t50\t80\t新段落",
            "5\t1\t1\t2\t1\t2\t200\t500\t100\t50\t-1\t ");

    @Test
    void wordsJoinWithoutSpacesInChineseAndWithSpacesBetweenLatinWords() {
        RecognisedPage page = new RecognisedPage(2480, 3508, TesseractTsv.words(TSV));
        assertEquals(7, page.words().size(), "the empty word is dropped");
        assertEquals(2480, TesseractTsv.pageSize(TSV)[0]);
        List<OcrParagraphs.Paragraph> paragraphs = OcrParagraphs.of(page);
        assertEquals(List.of("萤火虫是昆虫，Python code 示例。", "新段落"),
                paragraphs.stream().map(OcrParagraphs.Paragraph::text).toList());
        OcrParagraphs.Placed python = paragraphs.get(0).words().get(3);
        assertEquals("Python", paragraphs.get(0).text().substring(python.start(), python.end()));
        assertEquals(300, python.word().x());
    }

    /**
     * Tesseract sometimes ends a paragraph at a line wrap of a full page (here inside 梦露街441号): a break after a
     * line that runs to the right edge without a closing mark, followed by a flush-left line, is joined; a break
     * after a sentence's end, before an indented line, or after a short line stays.
     */
    @Test
    void aParagraphBreakAtAFullLineWithoutASentenceEndIsALineWrap() {
        RecognisedWord full = new RecognisedWord(1, 1, 1, "位于底特律希腊城梦露", 0, 0, 500, 50, 90);
        RecognisedWord wrapped = new RecognisedWord(1, 2, 1, "街441号，是美国最古老的黑人教堂。", 0, 80, 480, 50, 90);
        assertEquals(List.of("位于底特律希腊城梦露街441号，是美国最古老的黑人教堂。"),
                texts(full, wrapped));

        RecognisedWord indented = new RecognisedWord(1, 2, 1, "街441号，是美国最古老的黑人教堂。", 100, 80, 400, 50, 90);
        assertEquals(2, texts(full, indented).size(), "an indented line starts a paragraph");

        RecognisedWord sentenceEnd = new RecognisedWord(1, 1, 1, "位于底特律希腊城梦露。", 0, 0, 500, 50, 90);
        assertEquals(2, texts(sentenceEnd, wrapped).size(), "a full line ending a sentence may end a paragraph");

        RecognisedWord shortLine = new RecognisedWord(1, 1, 1, "位于底特律", 0, 0, 250, 50, 90);
        RecognisedWord longLine = new RecognisedWord(1, 2, 1, "街441号，是美国最古老的黑人教堂，也是", 0, 80, 500, 50, 90);
        assertEquals(2, texts(shortLine, longLine).size(), "a line that stops short ends its paragraph");

        RecognisedWord sameRow = new RecognisedWord(2, 1, 1, "右栏", 0, 0, 100, 50, 90);
        assertEquals(2, texts(full, sameRow).size(), "a block beside, not below, is another paragraph");
    }

    /**
     * The tolerances, at their edges (characters 50 px tall, text from x 0 to 500): a line may stop up to one and a
     * half characters short of the right edge, the next line must start at least half a character lower and at most
     * 0.8 of a character in from the left edge.
     */
    @Test
    void aLineWrapsWithinOneAndAHalfCharactersOfTheRightEdgeOntoAFlushLeftLineBelow() {
        RecognisedWord ruler = new RecognisedWord(1, 3, 1, "另一段。", 0, 400, 500, 50, 90);
        assertEquals(2, texts(line(0, 0, 425), line(2, 80, 100), ruler).size(), "75 px short: a wrap");
        assertEquals(3, texts(line(0, 0, 424), line(2, 80, 100), ruler).size(), "76 px short: an end");
        assertEquals(2, texts(line(0, 0, 500), line(2, 25, 100), ruler).size(), "25 px lower: the next line");
        assertEquals(3, texts(line(0, 0, 500), line(2, 24, 100), ruler).size(), "24 px lower: beside it");
        assertEquals(2, texts(line(0, 0, 500), nextLineAt(40), ruler).size(), "40 px in: flush left");
        assertEquals(3, texts(line(0, 0, 500), nextLineAt(41), ruler).size(), "41 px in: indented");
    }

    private static RecognisedWord line(int x, int y, int right) {
        return new RecognisedWord(1, y == 0 ? 1 : 2, 1, y == 0 ? "位于底特律希腊城梦露" : "街441号", x, y, right - x, 50,
                90);
    }

    private static RecognisedWord nextLineAt(int x) {
        return new RecognisedWord(1, 2, 1, "街441号", x, 80, 100, 50, 90);
    }

    private static List<String> texts(RecognisedWord... words) {
        return OcrParagraphs.of(new RecognisedPage(1000, 1000, List.of(words))).stream()
                .map(OcrParagraphs.Paragraph::text).toList();
    }

    @Test
    void openingBracketsMisreadAsOthersArePutBackWhereTheirCloserShowsWhichTheyWere() {
        assertEquals("广东公共频道（信号来自肇庆）与「测试」", BracketRepair.repair("广东公共频道〈信号来自肇庆）与【测试」"));
        assertEquals("授予他（Abhidhamma)", BracketRepair.repair("授予他〈Abhidhamma)"));
        assertEquals("《书名〈篇名〉》与【注】", BracketRepair.repair("《书名〈篇名〉》与【注】"), "real pairs stay");
        assertEquals("〈未闭合", BracketRepair.repair("〈未闭合"));
        RecognisedPage page = new RecognisedPage(100, 100, List.of(
                new RecognisedWord(1, 1, 1, "频道〈信号", 0, 0, 50, 10, 90),
                new RecognisedWord(1, 1, 1, "）", 50, 0, 5, 10, 90)));
        assertEquals("频道（信号）", OcrParagraphs.of(page).get(0).text());
    }

    @Test
    void interpunctsOfForeignNamesMisreadAsApostrophesOrStopsArePutBack() {
        assertEquals("格奥尔基·伊万诺夫与奇布尔·拉姆吉奥及拉尔夫·本奇",
                InterpunctRepair.repair("格奥尔基'伊万诺夫与奇布尔`拉姆吉奥及拉尔夫.本奇"));
        assertEquals("他说：好。It's 3.5 or A.B; 说:好", InterpunctRepair.repair("他说：好。It's 3.5 or A.B; 说:好"),
                "between Latin letters, digits, or a colon: left as read");
        RecognisedPage page = new RecognisedPage(100, 100, List.of(
                new RecognisedWord(1, 1, 1, "格奥尔基'", 0, 0, 50, 10, 90),
                new RecognisedWord(1, 1, 1, "伊万诺夫", 50, 0, 40, 10, 90),
                new RecognisedWord(1, 1, 1, "与拉尔夫", 0, 0, 40, 10, 90),
                new RecognisedWord(1, 1, 1, "`", 40, 0, 5, 10, 90),
                new RecognisedWord(1, 1, 1, "本奇", 45, 0, 20, 10, 90)));
        assertEquals("格奥尔基·伊万诺夫与拉尔夫·本奇", OcrParagraphs.of(page).get(0).text(),
                "Tesseract's words around the mark join without spaces");
    }

    private static RecognisedWord onLine(int line, String text) {
        return new RecognisedWord(1, 1, line, text, 0, line * 30, 60, 20, 90);
    }

    /** An English word split by a hyphen at a line end is one word again, and its halves keep their boxes. */
    @Test
    void anEnglishWordHyphenatedAtALineEndIsJoinedAndItsHalvesKeepTheirPlaces() {
        RecognisedWord inter = onLine(1, "inter-");
        RecognisedWord national = onLine(2, "national");
        OcrParagraphs.Paragraph joined = OcrParagraphs.of(new RecognisedPage(1000, 1000, List.of(inter, national))).get(0);
        assertEquals("international", joined.text());
        assertEquals(List.of(new OcrParagraphs.Placed(0, 5, inter), new OcrParagraphs.Placed(5, 13, national)),
                joined.words());
        assertEquals(List.of("email"), texts(onLine(1, "e-"), onLine(2, "mail")), "a one-letter first half");
        assertEquals(List.of("well- known"), texts(onLine(1, "well-"), onLine(1, "known")),
                "within a line the hyphen is the word's own");
        assertEquals(List.of("anti- Virus"), texts(onLine(1, "anti-"), onLine(2, "Virus")), "before a capital");
        assertEquals(List.of("COVID- 19"), texts(onLine(1, "COVID-"), onLine(2, "19")), "after capitals, before digits");
        assertEquals(List.of("- item"), texts(onLine(1, "-"), onLine(2, "item")), "a dash alone is no word's half");
    }

    @Test
    void eachParagraphPlacesOnlyItsOwnWordsFromItsOwnStart() {
        RecognisedWord first = new RecognisedWord(1, 1, 1, "第一段。", 0, 0, 200, 50, 90);
        RecognisedWord second = new RecognisedWord(1, 2, 1, "第二段", 100, 80, 150, 50, 90);
        List<OcrParagraphs.Paragraph> paragraphs = OcrParagraphs.of(new RecognisedPage(1000, 1000,
                List.of(first, second)));
        assertEquals(List.of(new OcrParagraphs.Placed(0, 3, second)), paragraphs.get(1).words());
    }

    /** Characters at both ends of each CJK block run on from a Chinese character without a space. */
    @ParameterizedTest
    @ValueSource(strings = {"一", "中", "鿿", "㐀", "䶿", "あ", "ヿ", "Ａ", "豈", "﨑", "𠀀", "𠮷"})
    void cjkCharactersOfEveryBlockJoinAChineseCharacterWithoutASpace(String cjk) {
        assertEquals(List.of("字" + cjk), texts(onLine(1, "字"), onLine(1, cjk)));
    }

    /** Full-width punctuation carries its own spacing, also beside a Latin word; full-width letters and digits do not. */
    @ParameterizedTest
    @ValueSource(strings = {"　", "、", "〿", "！", "（", "／", "：", "？", "＠", "［", "＿", "｀", "｛", "～", "･"})
    void fullWidthPunctuationJoinsALatinWordWithoutASpace(String mark) {
        assertEquals(List.of("OCR" + mark), texts(onLine(1, "OCR"), onLine(1, mark)));
        assertEquals(List.of(mark + "OCR"), texts(onLine(1, mark), onLine(1, "OCR")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"０", "９", "Ａ", "Ｚ", "ａ", "ｚ", "ｦ", "ぁ"})
    void fullWidthLettersDigitsAndKanaAreSetOffFromALatinWordByASpace(String letter) {
        assertEquals(List.of("OCR " + letter), texts(onLine(1, "OCR"), onLine(1, letter)));
    }

    @Test
    void aLatinWordAfterChineseIsSetOffByASpace() {
        assertEquals(List.of("中文 OCR"), texts(onLine(1, "中文"), onLine(1, "OCR")));
    }

    @Test
    void aMisreadInterpunctOnItsOwnBetweenTwoOneCharacterWordsIsPutBack() {
        assertEquals(List.of("格·林"), texts(onLine(1, "格"), onLine(1, "'"), onLine(1, "林")));
    }

    @Test
    void aBracketsCloserCountsWithinSixtyCharactersAndARealPairEndsTheSearch() {
        String within = "〈" + "字".repeat(59) + "）";
        assertEquals("（" + within.substring(1), BracketRepair.repair(within));
        String beyond = "〈" + "字".repeat(60) + "）";
        assertEquals(beyond, BracketRepair.repair(beyond));
        assertEquals("《书名〈篇名〉》（上册）", BracketRepair.repair("《书名〈篇名〉》（上册）"));
        assertEquals("【注】见「甲」", BracketRepair.repair("【注】见「甲」"));
        assertEquals("见〈规定〉如下：1) 适用范围", BracketRepair.repair("见〈规定〉如下：1) 适用范围"),
                "a list's \"1)\" after a real pair proves nothing");
    }

    @Test
    void aMarkAtTheEndOrBeforeALatinLetterIsLeftAsRead() {
        assertEquals("格奥尔基'", InterpunctRepair.repair("格奥尔基'"));
        assertEquals("李'Smith", InterpunctRepair.repair("李'Smith"));
    }

    /** Confidence per character: a three-character word counts three times as much as a one-character word. */
    @Test
    void aPagesMeanConfidenceWeighsWordsByTheirCharacters() {
        RecognisedPage page = new RecognisedPage(100, 100, List.of(onLine(1, "萤火虫"), new RecognisedWord(1, 1, 1,
                "𠮷", 0, 0, 10, 10, 50)));
        assertEquals((3 * 90 + 50) / 4.0, page.meanConfidence(), 1e-9);
        assertEquals(0, new RecognisedPage(100, 100, List.of()).meanConfidence());
    }
}
