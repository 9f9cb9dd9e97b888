package io.yinghuo.retrieval.rag;

import java.util.List;

/**
 * The answer to an {@link AskRequest}.
 *
 * @param mode             the mode asked
 * @param kind             how the answer was made
 * @param question         the question as asked
 * @param standalone       the question made standalone from the history (what was searched)
 * @param parts            the parts it was split into
 * @param answer           the answer text, with its [n] citations (empty in search mode)
 * @param sources          the passages the answer cites, in order of first citation (search mode: all results)
 * @param evidence         every passage given to the model (or shown), in number order
 * @param unknownCitations numbers the answer cites that match no passage
 * @param promptTokens     tokens of the prompt as counted for the budget (0 when no model was asked)
 * @param budgetTokens     the most the prompt could take
 * @param finishReason     why generation ended ("stop", "length", "cancelled"…; "" when no model was asked)
 * @param retrievalMillis  time to rewrite, split, retrieve and pack
 * @param answerMillis     time from the model request to the last token (0 when no model was asked)
 */
public record AskResponse(AskMode mode, AnswerKind kind, String question, String standalone, List<String> parts,
                          String answer, List<Source> sources, List<Source> evidence, List<Integer> unknownCitations,
                          int promptTokens, int budgetTokens, String finishReason, double retrievalMillis,
                          double answerMillis) {

    public AskResponse {
        parts = List.copyOf(parts);
        sources = List.copyOf(sources);
        evidence = List.copyOf(evidence);
        unknownCitations = List.copyOf(unknownCitations);
    }
}
