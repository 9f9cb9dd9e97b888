package io.yinghuo.retrieval.eval;

import java.util.List;

/**
 * A question of an evaluation set. A single-document line ({@code "doc_id"}, {@code "answers":[...]}) has one gold
 * document and one answer group; a multi-document line ({@code "doc_ids"}, {@code "answers":[[...],[...]]}) has one
 * gold document and one answer group per part, and is asked as one compound question.
 *
 * @param id question id
 * @param question the text asked
 * @param goldDocIds gold documents (one for single-document questions)
 * @param answerGroups reference answers, one group per gold document; a group is satisfied by any of its answers
 */
public record EvalQuestion(String id, String question, List<String> goldDocIds, List<List<String>> answerGroups) {

    public EvalQuestion {
        goldDocIds = List.copyOf(goldDocIds);
        answerGroups = answerGroups.stream().map(List::copyOf).toList();
    }

    public boolean multiDocument() {
        return goldDocIds.size() > 1;
    }
}
