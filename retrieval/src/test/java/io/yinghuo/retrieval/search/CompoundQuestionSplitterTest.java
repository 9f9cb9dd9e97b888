package io.yinghuo.retrieval.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CompoundQuestionSplitterTest {

    @Test
    void splitsAtQuestionMarksAndDropsTheConnective() {
        assertEquals(List.of("玉山海拔多少公尺？", "故宫位于哪里？"),
                CompoundQuestionSplitter.split("玉山海拔多少公尺？另外，故宫位于哪里？"));
        assertEquals(List.of("Who wrote it?", "When was it published?"),
                CompoundQuestionSplitter.split("Who wrote it? When was it published?"));
    }

    @Test
    void aSingleQuestionOrShortTailIsNotCompound() {
        assertEquals(List.of("故宫位于哪里？"), CompoundQuestionSplitter.split(" 故宫位于哪里？ "));
        assertEquals(List.of("故宫位于哪里？对吗？"), CompoundQuestionSplitter.split("故宫位于哪里？对吗？"));
        assertEquals(List.of("没有标点的问题"), CompoundQuestionSplitter.split("没有标点的问题"));
    }
    @Test
    void everySentenceEndAndSemicolonEndsAPart() {
        for (String end : List.of("？", "?", "！", "!", "。", "；", ";")) {
            assertEquals(List.of("长江有多长" + end, "黄河有多长？"),
                    CompoundQuestionSplitter.split("长江有多长" + end + "黄河有多长？"), "after " + end);
        }
        assertEquals(List.of("长江有多长，黄河有多长？"), CompoundQuestionSplitter.split("长江有多长，黄河有多长？"),
                "a comma is inside a sentence");
    }

    @Test
    void theLastPartNeedsNoPunctuationAndEveryConnectivesCommasGo() {
        assertEquals(List.of("长江有多长？", "黄河有多长"), CompoundQuestionSplitter.split("长江有多长？还有、，黄河有多长"));
        assertEquals(List.of("长江有多长？", "黄河有多长"), CompoundQuestionSplitter.split("长江有多长？而且, 黄河有多长"));
        assertEquals(List.of("长江有多长？", "黄河有多长"), CompoundQuestionSplitter.split("长江有多长？以及黄河有多长"));
    }

    @Test
    void aPartNeedsFourLettersOrDigits() {
        assertEquals(List.of("长江多长？", "黄河多长？"), CompoundQuestionSplitter.split("长江多长？黄河多长？"));
        assertEquals(List.of("长江多长？河长？"), CompoundQuestionSplitter.split("长江多长？河长？"), "three letters");
        assertEquals(List.of("长江多长？", "G318？"), CompoundQuestionSplitter.split("长江多长？G318？"));
        assertEquals(List.of("长江多长？另外，"), CompoundQuestionSplitter.split("长江多长？另外，"),
                "a connective alone leaves nothing");
    }

    @Test
    void onlyALeadingConnectiveGoesAndEveryCommaAfterIt() {
        assertEquals(List.of("玉山有多高？", "故宫呢，另外在哪里？"),
                CompoundQuestionSplitter.split("玉山有多高？故宫呢，另外在哪里？"));
        assertEquals(List.of("玉山有多高？此外，，"), CompoundQuestionSplitter.split("玉山有多高？此外，，"));
        assertEquals(List.of("玉山有多高？", "故宫在哪里？"),
                CompoundQuestionSplitter.split("玉山有多高？還有 、, 故宫在哪里？"));
    }
}
