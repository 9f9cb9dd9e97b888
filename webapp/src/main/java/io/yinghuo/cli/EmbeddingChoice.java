package io.yinghuo.cli;

import io.yinghuo.embeddings.BuiltInEmbeddings;
import io.yinghuo.retrieval.vectors.Embedder;

import java.util.function.Supplier;

/**
 * The embedding model of {@code serve}, {@code ingest} and {@code search}: the built-in bge-small-zh-v1.5
 * ({@link BuiltInEmbeddings#bgeSmallZh}, loaded at its first use), or none with {@code --no-vectors} (keywords only).
 */
final class EmbeddingChoice {

    /**
     * Makes the built-in model. Tests put a small deterministic model here (the real one loads 100 MB and takes
     * seconds) and restore it afterwards.
     */
    static volatile Supplier<Embedder> builtIn = BuiltInEmbeddings::bgeSmallZh;

    private EmbeddingChoice() {
    }

    /** The built-in model, or null when {@code noVectors}. */
    static Embedder unless(boolean noVectors) {
        return noVectors ? null : builtIn.get();
    }
}
