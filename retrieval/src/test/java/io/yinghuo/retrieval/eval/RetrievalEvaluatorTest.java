package io.yinghuo.retrieval.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrievalEvaluatorTest {

    @TempDir
    Path dir;

    @Test
    void readsBothQuestionShapes() throws IOException {
        Path docs = dir.resolve("d.jsonl");
        Files.writeString(docs, "{\"doc_id\":\"a\",\"title\":\"甲\",\"text\":\"甲文\"}\n\n", StandardCharsets.UTF_8);
        Path questions = dir.resolve("q.jsonl");
        Files.writeString(questions, """
                {"id":"q1","question":"问一？","answers":["答一","答1"],"doc_id":"a"}
                {"id":"m1","question":"问一？另外，问二？","answers":[["答一"],["答二"]],"doc_ids":["a","b"]}
                """, StandardCharsets.UTF_8);
        assertEquals(List.of(new EvalDocument("a", "甲", "甲文")), EvalFiles.readDocuments(docs));
        List<EvalQuestion> read = EvalFiles.readQuestions(questions);
        assertEquals(List.of("a"), read.get(0).goldDocIds());
        assertEquals(List.of(List.of("答一", "答1")), read.get(0).answerGroups());
        assertTrue(read.get(1).multiDocument());
        assertEquals(List.of(List.of("答一"), List.of("答二")), read.get(1).answerGroups());

        Files.writeString(questions, "{\"id\":\"x\",\"question\":\"q\"}\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> EvalFiles.readQuestions(questions));
        assertTrue(bad.getMessage().contains("q.jsonl line 1"), bad.getMessage());
    }

    @Test
    void scoresRecallMrrAndMultiDocumentCoverage() throws IOException {
        List<EvalQuestion> questions = List.of(
                new EvalQuestion("1", "q1", List.of("a"), List.of(List.of("苹果"))),
                new EvalQuestion("2", "q2", List.of("b"), List.of(List.of("香蕉"))),
                new EvalQuestion("3", "m", List.of("a", "b"), List.of(List.of("苹果"), List.of("香蕉"))));
        Map<String, List<RankedChunk>> rankings = Map.of(
                "q1", List.of(new RankedChunk("a", "红苹果"), new RankedChunk("b", "x")),
                "q2", List.of(new RankedChunk("a", "x"), new RankedChunk("c", "y"), new RankedChunk("b", "香蕉")),
                "m", List.of(new RankedChunk("a", "苹果"), new RankedChunk("c", "z"), new RankedChunk("b", "香蕉")));
        SourceReport report = RetrievalEvaluator.evaluate("s", questions, List.of(1, 2, 3),
                (q, k) -> rankings.get(q).subList(0, Math.min(k, rankings.get(q).size())));
        assertEquals(2, report.questions());
        assertEquals(1, report.multiDocQuestions());
        assertEquals(Map.of(1, 0.5, 2, 0.5, 3, 1.0), report.docRecall());
        assertEquals(Map.of(1, 0.5, 2, 0.5, 3, 1.0), report.answerRecall());
        assertEquals((1.0 + 1.0 / 3) / 2, report.mrr10(), 1e-12);
        assertEquals(Map.of(2, 0.0, 3, 1.0), report.allDocsRecall());
        assertEquals(Map.of(2, 0.0, 3, 1.0), report.allAnswersRecall());
        assertNull(report.allDocsRecall().get(1));
    }

    /** MRR@10: a gold document first found at rank 10 counts 1/10, one first found at rank 11 counts nothing. */
    @Test
    void reciprocalRanksStopAtRankTen() throws IOException {
        List<RankedChunk> tenth = new java.util.ArrayList<>();
        List<RankedChunk> eleventh = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tenth.add(new RankedChunk(i == 9 ? "gold" : "other" + i, "x"));
            eleventh.add(new RankedChunk(i == 10 ? "gold" : "other" + i, "x"));
        }
        Map<String, List<RankedChunk>> rankings = Map.of("tenth", tenth, "eleventh", eleventh);
        SourceReport report = RetrievalEvaluator.evaluate("s", List.of(
                        new EvalQuestion("1", "tenth", List.of("gold"), List.of(List.of("答"))),
                        new EvalQuestion("2", "eleventh", List.of("gold"), List.of(List.of("答")))),
                List.of(1, 12), (q, k) -> rankings.get(q).subList(0, Math.min(k, 12)));
        assertEquals((0.1 + 0) / 2, report.mrr10(), 1e-12);
        assertEquals(Map.of(1, 0.0, 12, 1.0), report.docRecall());
    }

    @Test
    void percentilesAreNearestRank() {
        assertEquals(0, RetrievalEvaluator.nearestRank(1, 0.5));
        assertEquals(0, RetrievalEvaluator.nearestRank(1, 0.99));
        assertEquals(0, RetrievalEvaluator.nearestRank(2, 0.5));
        assertEquals(1, RetrievalEvaluator.nearestRank(2, 0.99));
        assertEquals(49, RetrievalEvaluator.nearestRank(100, 0.5));
        assertEquals(98, RetrievalEvaluator.nearestRank(100, 0.99));
        assertEquals(50, RetrievalEvaluator.nearestRank(101, 0.5));
        assertEquals(99, RetrievalEvaluator.nearestRank(101, 0.99));
        assertEquals(0, RetrievalEvaluator.nearestRank(10, 0.0), "never before the first");
        assertEquals(9, RetrievalEvaluator.nearestRank(10, 1.0));
        long[] nanos = {1_000_000, 2_500_000, 9_000_000};
        assertEquals(2.5, RetrievalEvaluator.percentileMs(nanos, 3, 0.5), 1e-12);
        assertEquals(9.0, RetrievalEvaluator.percentileMs(nanos, 3, 0.99), 1e-12);
        assertEquals(2.5, RetrievalEvaluator.percentileMs(nanos, 2, 0.99), 1e-12, "only the first n count");
        assertEquals(0.0, RetrievalEvaluator.percentileMs(nanos, 0, 0.5));
    }
}
