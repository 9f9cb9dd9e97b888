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
        return response(kind, answer, cited, evidence, 100, 1.0);
    }

    private static AskResponse response(AnswerKind kind, String answer, List<Source> cited, List<Source> evidence,
                                        int promptTokens, double retrievalMillis) {
        return new AskResponse(AskMode.ASK, kind, "q", "q", List.of("q"), answer, cited, evidence, List.of(),
                promptTokens, 3000, "stop", retrievalMillis, 2.0);
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

    /**
     * A multi-document answer is exact when every part has a segment that matches it exactly; a part whose document
     * is missing from the evidence leaves the question's documents uncovered; "not found" answers, prompt sizes and
     * retrieval latencies (nearest-rank over the sorted times) are counted as they happened.
     */
    @Test
    void multiDocumentExactnessDocumentCoverageAndTheCounts() throws IOException {
        List<List<String>> groups = List.of(List.of("六千三百公里"), List.of("北京市中心"));
        EvalQuestion both = new EvalQuestion("both", "长江多长？故宫在哪？", List.of("river", "palace"), groups);
        EvalQuestion half = new EvalQuestion("half", "长江多长？故宫在哪？", List.of("river", "palace"), groups);
        EvalQuestion lost = new EvalQuestion("lost", "黄河多长", List.of("river"), List.of(List.of("五千四百公里")));
        Source river = source(1, "idx-river", "长江全长六千三百公里。");
        Source palace = source(2, "idx-palace", "故宫位于北京市中心。");
        Map<String, String> ids = Map.of("idx-river", "river", "idx-palace", "palace");
        Map<String, AskResponse> answers = Map.of(
                "both", response(AnswerKind.MODEL, "六千三百公里。\n北京市中心", List.of(river, palace),
                        List.of(river, palace), 300, 30.0),
                "half", response(AnswerKind.MODEL, "六千三百公里", List.of(river), List.of(river), 101, 10.0),
                "lost", response(AnswerKind.NOT_FOUND, "没有找到", List.of(), List.of(), 0, 20.0));
        QaReport report = QaEvaluator.evaluate("set", List.of(both, half, lost), ids::get, q -> answers.get(q.id()));

        assertEquals(2, report.multi().questions());
        assertEquals(0.5, report.multi().exactMatch(), "both parts exact in one answer, one part in the other");
        assertEquals(0.75, report.multi().f1(), 1e-9, "(1 + 1) / 2 and (1 + 0) / 2");
        assertEquals(0.5, report.multi().documentCoverage(), "the second answer's evidence lacks the palace");
        assertEquals(0.5, report.multi().evidenceCoverage());
        assertEquals(200.5, report.multi().meanPromptTokens(), 1e-9);
        assertEquals(1.5, report.multi().meanEvidence(), 1e-9);
        assertEquals(1, report.notFound());
        assertEquals(2, report.modelAnswers());
        assertEquals(0.0, report.single().evidenceCoverage());
        assertNull(report.single().exactMatch(), "a question without a model answer has no EM");
        assertEquals(20.0, report.retrievalMsP50(), "the median of 30, 10, 20");
        assertEquals(30.0, report.retrievalMsP99());
    }
}
