package io.yinghuo.retrieval.rag;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CitationsTest {

    @Test
    void readsTheFormsModelsWrite() {
        assertEquals(List.of(2, 1, 3), Citations.numbers("北京[2]，上海[1][3]。再说北京[2]。"));
        assertEquals(List.of(1, 2, 4), Citations.numbers("见[1, 2]和【4】"));
        assertEquals(List.of(2, 3, 4), Citations.numbers("见［2-4］"));
        assertEquals(List.of(1, 3), Citations.numbers("见[1，3]"));
        assertEquals(List.of(), Citations.numbers("没有引用，也不是[引用]或[a1]"));
        assertEquals(List.of(5), Citations.numbers("范围太大[5-900]只取起点"));
    }

    @Test
    void mapsNumbersToEvidenceAndReportsUnknownOnes() {
        List<Evidence> evidence = List.of(
                new Evidence(1, 0, RagTestData.passage("a", 0, "甲")),
                new Evidence(2, 0, RagTestData.passage("b", 0, "乙")),
                new Evidence(3, 1, RagTestData.passage("c", 0, "丙")));
        String answer = "乙说了[2]，丙说了[3][7]，乙又说[2]。";
        assertEquals(List.of("b", "c"), Citations.cited(answer, evidence).stream().map(Evidence::docId).toList());
        assertEquals(List.of(7), Citations.unknown(answer, evidence.size()));
        assertEquals("乙说了，丙说了，乙又说。", Citations.strip(answer));
    }
}
