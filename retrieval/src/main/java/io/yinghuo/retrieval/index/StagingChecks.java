package io.yinghuo.retrieval.index;

import io.yinghuo.retrieval.vectors.VectorSpace;

import java.util.List;

/** The argument checks every {@link ChunkStore} makes before staging, in one place so backends agree on them. */
public final class StagingChecks {

    private StagingChecks() {
    }

    /** The chunks are as many as the document says. */
    public static void requireChunks(DocumentRecord document, List<ChunkRecord> chunks) {
        if (chunks.size() != document.chunkCount()) {
            throw new IllegalArgumentException("document " + document.docId() + " says " + document.chunkCount()
                    + " chunks but " + chunks.size() + " were given");
        }
    }

    /** One vector of {@code space}'s dimension per chunk, and the chunks as many as the document says. */
    public static void requireVectors(DocumentRecord document, List<ChunkRecord> chunks, VectorSpace space,
                                      List<float[]> vectors) {
        if (vectors.size() != chunks.size() || chunks.size() != document.chunkCount()) {
            throw new IllegalArgumentException(vectors.size() + " vectors for " + chunks.size() + " chunks of a"
                    + " document of " + document.chunkCount());
        }
        for (float[] vector : vectors) {
            if (vector.length != space.dimension()) {
                throw new IllegalArgumentException("a vector of " + vector.length + " dimensions in " + space);
            }
        }
    }
}
