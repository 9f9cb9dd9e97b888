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
}
