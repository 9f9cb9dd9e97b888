package io.yinghuo.retrieval.rag;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvidenceOnlyAnswerTest {

    private static Evidence evidence(int number, int part, String docId, String text) {
        return new Evidence(number, part, RagTestData.passage(docId, 0, text));
    }

    @Test
    void quotesAtMostTwoPassagesPerPartAfterTheNoteNumberedAsCited() {
        List<Evidence> evidence = List.of(
                evidence(1, 0, "a", "长江是中国第一长河。"),
                evidence(2, 0, "b", "长江流经十一个省级行政区。"),
                evidence(3, 0, "c", "长江流域人口众多。"),
                evidence(4, 1, "d", "故宫位于北京市中心。"),
                evidence(5, 7, "e", "故宫旧称紫禁城。"));
        String answer = EvidenceOnlyAnswer.write(evidence, List.of("长江有多长？", "故宫在哪里？"));
        List<String> lines = answer.lines().toList();
        assertEquals(EvidenceOnlyAnswer.NOTE, lines.get(0));
        assertEquals(List.of(
                "[1] 《a.pdf》（标题a）第1页：长江是中国第一长河。",
                "[2] 《b.pdf》（标题b）第1页：长江流经十一个省级行政区。",
                "[4] 《d.pdf》（标题d）第1页：故宫位于北京市中心。",
                // A part number beyond the parts counts as the last part.
                "[5] 《e.pdf》（标题e）第1页：故宫旧称紫禁城。"), lines.subList(1, lines.size()));
        assertEquals(List.of(1, 2, 4, 5), Citations.numbers(answer));
    }

    @Test
    void aShortPassageIsQuotedWholeOnOneLine() {
        assertEquals("第一行 第二行", EvidenceOnlyAnswer.excerpt("第一行\n第二行\n", QueryCoverage.of("第二行")));
    }

    @Test
    void aLongPassageIsCutFromTheSentenceWhereThePartsWordsFirstAppear() {
        String filler = "这是一段与问题无关的文字。".repeat(20);
        String text = filler + "故宫位于北京市中心，旧称紫禁城。" + filler;
        String excerpt = EvidenceOnlyAnswer.excerpt(text, QueryCoverage.of("故宫在哪里？"));
        assertTrue(excerpt.startsWith("…故宫位于北京市中心"), excerpt);
        assertTrue(excerpt.endsWith("…"), excerpt);
        assertEquals(EvidenceOnlyAnswer.EXCERPT_CHARS + 2, excerpt.length(), "the window and two cut marks");
    }

    @Test
    void aLongPassageWithoutThePartsWordsIsQuotedFromItsStart() {
        String text = "这是一段与问题无关的文字。".repeat(20);
        String excerpt = EvidenceOnlyAnswer.excerpt(text, QueryCoverage.of("量子计算机"));
        assertFalse(excerpt.startsWith("…"), excerpt);
        assertEquals(text.substring(0, EvidenceOnlyAnswer.EXCERPT_CHARS) + "…", excerpt);
    }

    @Test
    void traditionalTextIsFoundByASimplifiedPart() {
        String filler = "這是一段與問題無關的文字。".repeat(20);
        String excerpt = EvidenceOnlyAnswer.excerpt(filler + "臺北是臺灣最大的都市。" + filler,
                QueryCoverage.of("台北"));
        assertTrue(excerpt.startsWith("…臺北是臺灣最大的都市。"), excerpt);
    }
    @Test
    void aPassageOfExactlyTheExcerptLengthIsQuotedWholeEvenWhenTheWordsComeLater() {
        String lead = "这是一段与问题无关的文字。";
        String text = lead + "故宫位于北京市中心。".repeat(20);
        text = text.substring(0, EvidenceOnlyAnswer.EXCERPT_CHARS);
        assertEquals(text, EvidenceOnlyAnswer.excerpt(text, QueryCoverage.of("故宫在哪里？")));
        String longer = text + "宫";
        String excerpt = EvidenceOnlyAnswer.excerpt(longer, QueryCoverage.of("故宫在哪里？"));
        assertEquals("…" + longer.substring(lead.length()), excerpt, "one more character: cut at the sentence");
    }

    @Test
    void theExcerptStartsWhereTheFirstOfThePartsWordsAppearsInTheText() {
        String filler = "这是一段与问题无关的文字。".repeat(10);
        // The question names the palace, the river, the mountain; the text mentions the river first.
        String text = filler + "长江是中国第一长河。" + filler + "故宫位于北京市中心。" + filler + "黄山在安徽。";
        String excerpt = EvidenceOnlyAnswer.excerpt(text, QueryCoverage.of("故宫和长江和黄山"));
        assertTrue(excerpt.startsWith("…长江是中国第一长河。"), excerpt);
    }

    @Test
    void theExcerptGoesBackToItsSentencesStartButAtMostSixtyCharacters() {
        String filler = "这是一段与问题无关的文字。".repeat(20);
        String longSentence = "甲".repeat(100) + "故宫位于北京市中心。";
        String text = filler + longSentence + filler;
        int word = text.indexOf("故宫");
        String excerpt = EvidenceOnlyAnswer.excerpt(text, QueryCoverage.of("故宫在哪里？"));
        assertEquals("…" + text.substring(word - 60, word - 60 + EvidenceOnlyAnswer.EXCERPT_CHARS) + "…", excerpt);
        for (String end : List.of("！", "？", "；")) {
            String after = filler + "无关" + end + "这句话讲故宫的位置。" + filler;
            assertTrue(EvidenceOnlyAnswer.excerpt(after, QueryCoverage.of("故宫在哪里？")).startsWith("…这句话讲故宫"),
                    "a sentence ends at " + end);
        }
    }

    @Test
    void anExcerptThatReachesTheEndOfThePassageHasNoClosingCutMark() {
        String filler = "这是一段与问题无关的文字。".repeat(10);
        String tail = "故宫位于北京市中心。" + "旧称紫禁城，是明清两代的皇家宫殿。".repeat(12);
        tail = tail.substring(0, EvidenceOnlyAnswer.EXCERPT_CHARS);
        String excerpt = EvidenceOnlyAnswer.excerpt(filler + tail, QueryCoverage.of("故宫在哪里？"));
        assertEquals("…" + tail, excerpt);
        String excerptOfLonger = EvidenceOnlyAnswer.excerpt(filler + tail + "宫", QueryCoverage.of("故宫在哪里？"));
        assertEquals("…" + tail + "…", excerptOfLonger);
    }

    @Test
    void wordsAtThePassagesStartNeedNoOpeningCutMark() {
        String text = "故宫位于北京市中心。" + "这是一段与问题无关的文字。".repeat(20);
        assertEquals(text.substring(0, EvidenceOnlyAnswer.EXCERPT_CHARS) + "…",
                EvidenceOnlyAnswer.excerpt(text, QueryCoverage.of("故宫在哪里？")));
        // The question's other word comes only in a later sentence: the excerpt still starts at the first word.
        String later = "故宫很大。" + "这是一段与问题无关的文字。".repeat(5) + "紫禁城是故宫的旧称。" + "无关的文字。".repeat(20);
        assertEquals(later.substring(0, EvidenceOnlyAnswer.EXCERPT_CHARS) + "…",
                EvidenceOnlyAnswer.excerpt(later, QueryCoverage.of("故宫和紫禁城")));
    }

    @Test
    void aQuestionThatWasNotSplitCountsAsOnePart() {
        List<Evidence> evidence = List.of(
                evidence(1, 0, "a", "长江是中国第一长河。"),
                evidence(2, 3, "b", "长江流经十一个省级行政区。"),
                evidence(3, 0, "c", "长江流域人口众多。"));
        String answer = EvidenceOnlyAnswer.write(evidence, List.of());
        assertEquals(List.of(1, 2), Citations.numbers(answer), "two passages for the one part");
        assertTrue(answer.endsWith("[2] 《b.pdf》（标题b）第1页：长江流经十一个省级行政区。"), answer);
    }
}
