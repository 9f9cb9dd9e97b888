package io.yinghuo.retrieval.eval;

import io.yinghuo.retrieval.rag.AnswerKind;
import io.yinghuo.retrieval.rag.AskMode;
import io.yinghuo.retrieval.rag.AskResponse;
import io.yinghuo.retrieval.rag.Source;
import io.yinghuo.retrieval.search.SearchHit;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class QaEvaluatorTest {

    private static Source source(int number, String docId, String text) {
        return new Source(number, 0, new SearchHit(docId, "", docId + ".md", "", 0, 1, "", 0, text.length(), text, 1f,
                List.of(), null, SearchHit.LEXICAL, Float.NaN));
    }

    private static AskResponse response(AnswerKind kind, String answer, List<Source> cited, List<Source> evidence) {
        return new AskResponse(AskMode.ASK, kind, "q", "q", List.of("q"), answer, cited, evidence, List.of(), 100,
                3000, "stop", 1.0, 2.0);
    }

    @Test
    void scoresCoverageEmF1AndCitationPrecision() throws IOException {
        EvalQuestion single = new EvalQuestion("s", "长江有多长", List.of("river"), List.of(List.of("六千三百公里")));
        EvalQuestion multi = new EvalQuestion("m", "长江有多长？另外，故宫在哪里？", List.of("river", "palace"),
                List.of(List.of("六千三百公里"), List.of("北京市中心")));
        Source riverAnswer = source(1, "idx-river", "长江全长六千三百公里。");
        Source palaceOther = source(2, "idx-palace", "故宫旧称紫禁城。");
        Source palaceAnswer = source(3, "idx-palace", "故宫位于北京市中心。");
        Map<String, String> ids = Map.of("idx-river", "river", "idx-palace", "palace");
        Map<String, AskResponse> answers = Map.of(
                "s", response(AnswerKind.MODEL, "六千三百公里[1]", List.of(riverAnswer), List.of(riverAnswer)),
                // Part 2's document is there but not the passage with its answer: documents covered, evidence not.
                "m", response(AnswerKind.MODEL, "长江长六千三百公里[1]。\n故宫在北京市中心[2]。",
                        List.of(riverAnswer, palaceOther), List.of(riverAnswer, palaceOther)));
        QaReport report = QaEvaluator.evaluate("set", List.of(single, multi), ids::get,
                q -> answers.get(q.id()));
        assertEquals(1.0, report.single().evidenceCoverage());
        assertEquals(1.0, report.single().exactMatch());
        assertEquals(1.0, report.single().f1());
        assertEquals(0.0, report.multi().evidenceCoverage());
        assertEquals(1.0, report.multi().documentCoverage());
        // Each part is matched by its own segment of the answer ("故宫在北京市中心" holds 北京市中心: F1 < 1).
        assertEquals(0.0, report.multi().exactMatch());
        double part2 = 2 * (5.0 / 8) * 1.0 / (5.0 / 8 + 1.0);
        assertEquals((CmrcScorer.f1(List.of("六千三百公里"), "长江长六千三百公里") + part2) / 2, report.multi().f1(),
                1e-9);
        assertEquals(2.0 / 3, report.citationPrecision(), 1e-9, "two of three cited sources hold an answer");
        assertEquals(2, report.modelAnswers());

        // Without a model there is nothing to score EM/F1 on; coverage still counts.
        QaReport passages = QaEvaluator.evaluate("set", List.of(multi), ids::get, q -> response(
                AnswerKind.EVIDENCE_ONLY, "…", List.of(), List.of(riverAnswer, palaceAnswer)));
        assertEquals(1.0, passages.multi().evidenceCoverage());
        assertNull(passages.multi().f1());
        assertNull(passages.citationPrecision());
    }
}
