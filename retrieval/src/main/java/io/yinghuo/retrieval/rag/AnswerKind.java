package io.yinghuo.retrieval.rag;

/** How an answer was made. */
public enum AnswerKind {
    /** Written by the model from the numbered evidence. */
    MODEL,
    /** No model is loaded: the best passages, quoted as they are and marked as such. */
    EVIDENCE_ONLY,
    /** Nothing relevant was found: the answer is {@value EvidencePrompt#NOT_FOUND}; the model was not asked. */
    NOT_FOUND,
    /** Search mode: the passages only. */
    SEARCH_RESULTS,
    /** Chat mode: the model alone, no documents. */
    CHAT
}
