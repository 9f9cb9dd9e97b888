package io.yinghuo.retrieval.rag;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relevance floor: the share of a question's key terms a passage holds. */
class QueryCoverageTest {

    @Test
    void aPassageHoldingExactlyTheFloorsShareIsRelevant() {
        QueryCoverage coverage = QueryCoverage.of("长江黄河"); // 长江, 江黄, 黄河
        assertEquals(2 / 3.0, coverage.in("长江和黄河"), 1e-12);
        assertTrue(coverage.relevant("长江和黄河", 2 / 3.0));
        assertFalse(coverage.relevant("长江", 2 / 3.0));
    }

    @Test
    void aQuestionWithNothingToLookForKeepsEveryPassage() {
        QueryCoverage nothing = QueryCoverage.of("是什么？");
        assertTrue(nothing.isEmpty());
        assertEquals(0, nothing.in("长江是中国第一长河。"));
        assertTrue(nothing.relevant("长江是中国第一长河。", 0.35));
        assertFalse(QueryCoverage.of("长江").isEmpty());
    }

    @Test
    void traditionalTextCoversASimplifiedQuestion() {
        assertEquals(1.0, QueryCoverage.of("台湾").in("臺灣"));
    }
}
