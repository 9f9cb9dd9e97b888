package io.yinghuo.retrieval.index;

import java.util.Objects;

/**
 * A collection (knowledge base) as the catalogue knows it.
 *
 * @param name            its name; "" is the default collection, which always exists
 * @param documents       how many committed documents it holds
 * @param createdAtMillis when it was created (epoch milliseconds): for a registered collection, its registration;
 *                        for one that exists only through its documents, its oldest document's ingestion; 0 for an
 *                        empty default collection
 * @param registered      whether it was created explicitly, so it stays while it has no documents
 */
public record CollectionRecord(String name, int documents, long createdAtMillis, boolean registered) {

    public CollectionRecord {
        Objects.requireNonNull(name, "name");
    }

    /** Whether this is the default collection (the one files go to when none is named). */
    public boolean isDefault() {
        return name.isEmpty();
    }
}
