package io.yinghuo.retrieval.index;

import java.util.Objects;

/** A committed chunk with the fields of its document a hit shows. */
public record IndexedChunk(String docId, String collection, String fileName, String title, ChunkRecord chunk) {

    public IndexedChunk {
        Objects.requireNonNull(docId, "docId");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(chunk, "chunk");
    }
}
