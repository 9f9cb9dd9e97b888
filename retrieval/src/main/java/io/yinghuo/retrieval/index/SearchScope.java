package io.yinghuo.retrieval.index;

import java.util.Set;

/**
 * Which chunks a search may return.
 *
 * @param docIds      only chunks of these documents; empty = all
 * @param collections only chunks of documents in these collections; empty = all
 */
public record SearchScope(Set<String> docIds, Set<String> collections) {

    public static final SearchScope ALL = new SearchScope(Set.of(), Set.of());

    public SearchScope {
        docIds = Set.copyOf(docIds);
        collections = Set.copyOf(collections);
    }
}
