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
    void everySentenceEndAndSemicolonIsABoundary() {
        for (String mark : List.of("？", "?", "！", "!", "。", "；", ";")) {
            assertEquals(List.of("介绍一下玉山" + mark, "故宫在哪里"),
                    CompoundQuestionSplitter.split("介绍一下玉山" + mark + "故宫在哪里"), mark);
        }
        assertEquals(List.of("玉山多高，故宫在哪里"), CompoundQuestionSplitter.split("玉山多高，故宫在哪里"),
                "a comma joins clauses of one question");
    }

    @Test
    void aPartNeedsFourLettersOrDigits() {
        // "故宫在哪" has exactly four letters and counts; "在哪里" has three and is dropped with its mark
        assertEquals(List.of("玉山有多高？", "故宫在哪？"), CompoundQuestionSplitter.split("玉山有多高？故宫在哪？"));
        assertEquals(List.of("玉山有多高？在哪里？"), CompoundQuestionSplitter.split("玉山有多高？在哪里？"));
        assertEquals(List.of("Top 10？", "1984年？"), CompoundQuestionSplitter.split("Top 10？1984年？"),
                "digits count as letters");
    }

    @Test
    void aLeadingConnectiveGoesWithEveryCommaAfterIt() {
        assertEquals(List.of("玉山有多高？", "故宫在哪里？"),
                CompoundQuestionSplitter.split("玉山有多高？還有 、, 故宫在哪里？"));
        assertEquals(List.of("玉山有多高？", "故宫在哪里？"),
                CompoundQuestionSplitter.split("玉山有多高？而且,故宫在哪里？"));
        assertEquals(List.of("玉山有多高？", "长城多长？"), CompoundQuestionSplitter.split("玉山有多高？那么长城多长？"),
                "a connective without a comma goes too");
        assertEquals(List.of("玉山有多高？", "故宫呢，另外在哪里？"),
                CompoundQuestionSplitter.split("玉山有多高？故宫呢，另外在哪里？"), "only a leading connective");
    }

    @Test
    void aConnectiveAloneLeavesNoPart() {
        assertEquals(List.of("玉山有多高？另外，"), CompoundQuestionSplitter.split("玉山有多高？另外，"));
        assertEquals(List.of("玉山有多高？此外，，"), CompoundQuestionSplitter.split("玉山有多高？此外，，"));
    }
}
