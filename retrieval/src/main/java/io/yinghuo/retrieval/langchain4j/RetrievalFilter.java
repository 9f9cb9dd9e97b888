package io.yinghuo.retrieval.langchain4j;

import java.util.Collection;
import java.util.Set;

/**
 * Which documents a retrieval may return: only these document ids and/or only these collections; an empty set
 * means no restriction on that axis.
 */
public record RetrievalFilter(Set<String> docIds, Set<String> collections) {

    public RetrievalFilter {
        docIds = Set.copyOf(docIds);
        collections = Set.copyOf(collections);
    }

    public static RetrievalFilter all() {
        return new RetrievalFilter(Set.of(), Set.of());
    }

    public static RetrievalFilter documents(Collection<String> ids) {
        return new RetrievalFilter(Set.copyOf(ids), Set.of());
    }

    public static RetrievalFilter collections(Collection<String> names) {
        return new RetrievalFilter(Set.of(), Set.copyOf(names));
    }
}
