package io.yinghuo.retrieval.rag;

import java.util.Objects;
import java.util.Set;

/**
 * One part of a (possibly compound) question, searched on its own.
 *
 * @param text        the part as a standalone question, e.g. "《西游记》的作者是谁"
 * @param docIds      documents the part names explicitly (by title or file name); empty when it names none. The
 *                    part is then searched inside each of them as well as everywhere
 */
public record QuestionPart(String text, Set<String> docIds) {

    public QuestionPart {
        Objects.requireNonNull(text, "text");
        docIds = Set.copyOf(docIds);
    }

    public static QuestionPart of(String text) {
        return new QuestionPart(text, Set.of());
    }
}
