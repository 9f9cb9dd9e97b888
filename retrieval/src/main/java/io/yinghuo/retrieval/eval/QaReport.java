package io.yinghuo.retrieval.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Question-answering figures for one questions file (see {@link QaEvaluator} for the definitions).
 *
 * @param source             the questions file
 * @param single             single-document questions
 * @param multi              multi-document questions (asked as one compound question)
 * @param citedSources       sources cited over all answers
 * @param citationPrecision  share of cited sources that contain a reference answer of the question (null when
 *                           nothing was cited)
 * @param notFound           answers that said nothing relevant was found
 * @param modelAnswers       answers written by a model (EM/F1 are computed on these only)
 * @param retrievalMsP50     rewrite + split + retrieve + pack, per question
 * @param retrievalMsP99     same, 99th percentile
 * @param totalMsP50         the whole question including the model's answer
 * @param totalMsP99         same, 99th percentile
 */
public record QaReport(
        @JsonProperty("source") String source,
        @JsonProperty("single") TypeFigures single,
        @JsonProperty("multi") TypeFigures multi,
        @JsonProperty("cited_sources") int citedSources,
        @JsonProperty("citation_precision") Double citationPrecision,
        @JsonProperty("not_found") int notFound,
        @JsonProperty("model_answers") int modelAnswers,
        @JsonProperty("retrieval_ms_p50") double retrievalMsP50,
        @JsonProperty("retrieval_ms_p99") double retrievalMsP99,
        @JsonProperty("total_ms_p50") double totalMsP50,
        @JsonProperty("total_ms_p99") double totalMsP99) {

    /**
     * Figures for one question type; null fields when the type has no question (or, for EM/F1, no model answer).
     *
     * @param questions        how many
     * @param evidenceCoverage every part has, in the packed context, a passage of its gold document that contains
     *                         one of its reference answers
     * @param documentCoverage every part's gold document has a passage in the packed context
     * @param exactMatch       CMRC exact match (all parts must match, see {@link QaEvaluator})
     * @param f1               CMRC F1 (mean over parts)
     * @param meanEvidence     passages in the packed context, on average
     * @param meanPromptTokens prompt tokens as counted for the budget, on average (model answers only)
     */
    public record TypeFigures(
            @JsonProperty("questions") int questions,
            @JsonProperty("evidence_coverage") Double evidenceCoverage,
            @JsonProperty("document_coverage") Double documentCoverage,
            @JsonProperty("exact_match") Double exactMatch,
            @JsonProperty("f1") Double f1,
            @JsonProperty("mean_evidence") Double meanEvidence,
            @JsonProperty("mean_prompt_tokens") Double meanPromptTokens) {
    }
}
