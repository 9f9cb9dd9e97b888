package io.yinghuo.ingest.pipeline;

import java.util.Objects;

/**
 * A file to ingest.
 *
 * @param fileName the name it was uploaded with; may contain "/" (a path relative to an ingested folder), which
 *                 is part of the document's identity but never used as a path on disk
 * @param bytes the content
 * @param collection the collection to put it in ("" = default), stored as {@link CollectionNames#normalize} gives
 *                   it: the collection editor looks collections up by that form, so a name kept as typed (white
 *                   space around it) would make a collection that can be neither renamed nor deleted
 * @throws CollectionException when the collection name is too long or has control characters
 */
public record IngestSource(String fileName, byte[] bytes, String collection) {

    public IngestSource {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(collection, "collection");
        if (fileName.isBlank()) {
            throw new IllegalArgumentException("file name must not be empty");
        }
        collection = CollectionNames.normalize(collection);
    }

    public static IngestSource of(String fileName, byte[] bytes) {
        return new IngestSource(fileName, bytes, "");
    }
}
