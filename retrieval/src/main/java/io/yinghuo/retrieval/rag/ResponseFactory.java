package io.yinghuo.retrieval.rag;

import java.util.List;

/**
 * What every response to one question shares (the question, what was searched, its parts, the prompt budget, the
 * time before the answer), so that each way of answering states only what is its own.
 *
 * @param request         the question as asked
 * @param standalone      the question made standalone from the history (what was searched)
 * @param parts           the parts it was split into
 * @param budgetTokens    the most the prompt could take
 * @param retrievalMillis time to rewrite, split, retrieve and pack (chat mode: to fit the conversation)
 */
record ResponseFactory(AskRequest request, String standalone, List<String> parts, int budgetTokens,
                       double retrievalMillis) {

    ResponseFactory {
        parts = List.copyOf(parts);
    }

    /** Chat mode: nothing was searched; the question is its own standalone form and only part. */
    static ResponseFactory forChat(AskRequest request, int budgetTokens, double setupMillis) {
        return new ResponseFactory(request, request.question(), List.of(request.question()), budgetTokens,
                setupMillis);
    }

    /** Search mode: the passages only ({@value EvidencePrompt#NOT_FOUND} as the answer when there are none). */
    AskResponse searchResults(List<Source> results) {
        return response(AskMode.SEARCH, AnswerKind.SEARCH_RESULTS, results.isEmpty() ? EvidencePrompt.NOT_FOUND : "",
                results, results, List.of(), 0, "", 0);
    }

    /** Nothing relevant was found; the model was not asked. */
    AskResponse notFound() {
        return response(AskMode.ASK, AnswerKind.NOT_FOUND, EvidencePrompt.NOT_FOUND, List.of(), List.of(), List.of(),
                0, "", 0);
    }

    /** No model: the passages quoted, cited as a model would cite them. */
    AskResponse evidenceOnly(String answer, List<Source> evidence) {
        return response(AskMode.ASK, AnswerKind.EVIDENCE_ONLY, answer, Citations.cited(answer, evidence), evidence,
                List.of(), 0, "", 0);
    }

    /** The model's answer from the evidence; only the sources it cites are listed as such. */
    AskResponse model(String answer, List<Source> evidence, int promptTokens, String finishReason,
                      double answerMillis) {
        return response(AskMode.ASK, AnswerKind.MODEL, answer, Citations.cited(answer, evidence), evidence,
                Citations.unknown(answer, evidence.size()), promptTokens, finishReason, answerMillis);
    }

    /** Chat mode: the model alone. */
    AskResponse chat(String answer, int promptTokens, String finishReason, double answerMillis) {
        return response(AskMode.CHAT, AnswerKind.CHAT, answer, List.of(), List.of(), List.of(), promptTokens,
                finishReason, answerMillis);
    }

    private AskResponse response(AskMode mode, AnswerKind kind, String answer, List<Source> sources,
                                 List<Source> evidence, List<Integer> unknownCitations, int promptTokens,
                                 String finishReason, double answerMillis) {
        return new AskResponse(mode, kind, request.question(), standalone, parts, answer, sources, evidence,
                unknownCitations, promptTokens, budgetTokens, finishReason, retrievalMillis, answerMillis);
    }
}
