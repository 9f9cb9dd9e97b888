package io.yinghuo.retrieval.search;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * A search over chunks.
 *
 * @param query the user's question or keywords, as typed (a compound question "A？另外，B？" is fine)
 * @param maxResults how many chunks to return at most (&ge; 1)
 * @param docIds only chunks of these documents; empty = all documents
 * @param collections only chunks of documents in these collections; empty = all collections
 * @param minScore drop hits whose score ({@link SearchHit#score()}, in [0, 1]) is below this; 0 keeps all
 * @param snippets whether to compute highlights and a snippet for each hit
 */
public record SearchRequest(String query, int maxResults, Set<String> docIds, Set<String> collections,
                            double minScore, boolean snippets) {

    public SearchRequest {
        Objects.requireNonNull(query, "query");
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1, got " + maxResults);
        }
        if (!(minScore >= 0 && minScore <= 1)) {
            throw new IllegalArgumentException("minScore must be in [0, 1], got " + minScore);
        }
        docIds = Set.copyOf(docIds);
        collections = Set.copyOf(collections);
    }

    /** All documents, no score threshold, with snippets. */
    public static SearchRequest of(String query, int maxResults) {
        return new SearchRequest(query, maxResults, Set.of(), Set.of(), 0, true);
    }

    public SearchRequest withDocIds(Collection<String> ids) {
        return new SearchRequest(query, maxResults, Set.copyOf(ids), collections, minScore, snippets);
    }

    public SearchRequest withCollections(Collection<String> names) {
        return new SearchRequest(query, maxResults, docIds, Set.copyOf(names), minScore, snippets);
    }

    public SearchRequest withMinScore(double score) {
        return new SearchRequest(query, maxResults, docIds, collections, score, snippets);
    }

    public SearchRequest withSnippets(boolean on) {
        return new SearchRequest(query, maxResults, docIds, collections, minScore, on);
    }
}
