package io.yinghuo.embeddings;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An {@link EmbeddingModel} created at its first use, once, by whichever thread gets there first (the others
 * wait). In-process models load their weights when created (BGE small zh: about 1.5 s and 100 MB), and the app
 * must start without paying for that: the vector backfill's thread makes the first call, in the background.
 */
final class LazyEmbeddingModel implements EmbeddingModel {

    private final Supplier<EmbeddingModel> loader;
    private final String name;
    private final int dimension;
    private volatile EmbeddingModel model;
    private volatile RuntimeException failure;

    LazyEmbeddingModel(Supplier<EmbeddingModel> loader, String name, int dimension) {
        this.loader = Objects.requireNonNull(loader);
        this.name = name;
        this.dimension = dimension;
    }

    /** Whether the model has been loaded. */
    boolean loaded() {
        return model != null;
    }

    private EmbeddingModel model() {
        EmbeddingModel loadedModel = model;
        if (loadedModel != null) {
            return loadedModel;
        }
        synchronized (this) {
            if (model == null) {
                if (failure != null) {
                    throw failure;
                }
                try {
                    model = loader.get();
                } catch (RuntimeException | LinkageError e) {
                    failure = new IllegalStateException("the embedding model " + name + " could not be loaded: " + e, e);
                    throw failure;
                }
            }
            return model;
        }
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        return model().embedAll(segments);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String modelName() {
        return name;
    }
}
