package io.yinghuo.retrieval.index;

import java.util.Objects;

/**
 * One analyzed term of a question in one search field, with its weight in the query (field weight times how often
 * the term occurs in the question).
 */
public record WeightedTerm(String field, String term, float boost) {

    public WeightedTerm {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(term, "term");
        if (!(boost > 0)) {
            throw new IllegalArgumentException("boost must be positive, got " + boost);
        }
    }
}
