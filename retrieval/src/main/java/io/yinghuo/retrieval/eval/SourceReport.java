package io.yinghuo.retrieval.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Retrieval figures for one questions file. Maps are keyed by k. Single-document questions: {@code docRecall} (the
 * gold document has a chunk in the top k), {@code answerRecall} (a top-k chunk contains a reference answer
 * verbatim), {@code mrr10} (mean of 1/rank of the first gold-document chunk within the top 10, 0 if none).
 * Multi-document questions, asked as one compound question: {@code allDocsRecall} (every gold document has a chunk
 * in the top k), {@code allAnswersRecall} (for every part, a top-k chunk contains one of its answers); both only
 * for k at least the number of gold documents. Figures of a kind the file has no question for are null.
 * Latencies are per question, in milliseconds, over all questions of the file.
 */
public record SourceReport(
        @JsonProperty("source") String source,
        @JsonProperty("questions") int questions,
        @JsonProperty("multi_doc_questions") int multiDocQuestions,
        @JsonProperty("doc_recall") Map<Integer, Double> docRecall,
        @JsonProperty("answer_recall") Map<Integer, Double> answerRecall,
        @JsonProperty("mrr_at_10") Double mrr10,
        @JsonProperty("all_docs_recall") Map<Integer, Double> allDocsRecall,
        @JsonProperty("all_answers_recall") Map<Integer, Double> allAnswersRecall,
        @JsonProperty("latency_ms_p50") double latencyMsP50,
        @JsonProperty("latency_ms_p99") double latencyMsP99) {
}
