package io.yinghuo.retrieval.vectors;

import java.util.Objects;

/**
 * Where a chunk's vector comes from: the embedding model's id and the vector's dimension. Two vectors can be compared
 * only when they are of the same space, so the index records each document's space and a search looks only at
 * vectors of the space its query was embedded in.
 *
 * @param modelId the model's name (e.g. {@code bge-small-zh-v1.5}); no '/' so that {@link #label} can be parsed
 * @param dimension the vector length
 */
public record VectorSpace(String modelId, int dimension) {

    public VectorSpace {
        Objects.requireNonNull(modelId, "modelId");
        if (modelId.isBlank() || modelId.contains("/")) {
            throw new IllegalArgumentException("an embedding model id must be non-empty and contain no '/': '"
                    + modelId + "'");
        }
        if (dimension < 1 || dimension > 4096) {
            throw new IllegalArgumentException("an embedding dimension must be in [1, 4096], got " + dimension);
        }
    }

    /** The form stored in the index: {@code modelId/dimension}. */
    public String label() {
        return modelId + "/" + dimension;
    }

    /**
     * The Lucene vector field of this space. One field per dimension: Lucene fixes a vector field's dimension for the
     * whole index, so a model of another dimension must write to another field (and a model of the same dimension is
     * told apart by the {@link #label} each chunk carries).
     */
    public String fieldName() {
        return "vector_" + dimension;
    }

    /** Parses {@link #label}. */
    public static VectorSpace fromLabel(String label) {
        int slash = label.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not a vector space label: '" + label + "'");
        }
        return new VectorSpace(label.substring(0, slash), Integer.parseInt(label.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return label();
    }
}
