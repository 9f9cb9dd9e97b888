package io.yinghuo.retrieval.vectors;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A LangChain4j {@link EmbeddingModel} with what the index needs to know about it: its {@link VectorSpace} and
 * the instruction its authors prepend to retrieval queries (BGE models are trained with one for short queries
 * against passages; passages are embedded as they are).
 *
 * <p>Any {@code EmbeddingModel} works; the id must name the model (and its version), because vectors of two
 * models are never compared: changing the model re-embeds every document.
 */
public final class Embedder {

    private final EmbeddingModel model;
    private final VectorSpace space;
    private final String queryInstruction;
    private final ForegroundGate foreground = new ForegroundGate();

    private Embedder(EmbeddingModel model, VectorSpace space, String queryInstruction) {
        this.model = Objects.requireNonNull(model, "model");
        this.space = Objects.requireNonNull(space, "space");
        this.queryInstruction = Objects.requireNonNull(queryInstruction, "queryInstruction");
    }

    /**
     * @param model the embedding model
     * @param modelId names the model and its version (vectors of different ids are never mixed)
     * @param dimension the model's vector length (given, so that nothing has to be embedded to learn it)
     * @param queryInstruction prepended to queries, "" for none
     */
    public static Embedder of(EmbeddingModel model, String modelId, int dimension, String queryInstruction) {
        return new Embedder(model, new VectorSpace(modelId, dimension), queryInstruction);
    }

    /** A model that knows its name and dimension ({@link EmbeddingModel#modelName}, {@link EmbeddingModel#dimension}). */
    public static Embedder of(EmbeddingModel model) {
        String name = model.modelName();
        if (name == null || name.isBlank() || "unknown".equals(name)) {
            throw new IllegalArgumentException("the embedding model does not say its name; use Embedder.of(model, id,"
                    + " dimension, queryInstruction)");
        }
        return of(model, name.replace('/', '_'), model.dimension(), "");
    }

    public VectorSpace space() {
        return space;
    }

    public EmbeddingModel model() {
        return model;
    }

    /** Searches hold it while they run; background embedding waits for it between batches. */
    public ForegroundGate foreground() {
        return foreground;
    }

    /** The vector of a retrieval query, instruction included. */
    public float[] embedQuery(String query) {
        return checked(model.embed(queryInstruction + query).content());
    }

    /** The vectors of several queries (e.g. a question's parts), in one model call. */
    public List<float[]> embedQueries(List<String> queries) {
        if (queries.size() == 1) {
            return List.of(embedQuery(queries.get(0)));
        }
        List<String> instructed = new ArrayList<>(queries.size());
        for (String query : queries) {
            instructed.add(queryInstruction + query);
        }
        return embedPassages(instructed);
    }

    /** The vectors of passages, in order. */
    public List<float[]> embedPassages(List<String> passages) {
        if (passages.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(passages.size());
        for (String passage : passages) {
            segments.add(TextSegment.from(passage));
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        if (embeddings.size() != passages.size()) {
            throw new IllegalStateException("the embedding model returned " + embeddings.size() + " vectors for "
                    + passages.size() + " passages");
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(checked(embedding));
        }
        return vectors;
    }

    /**
     * The vector scaled to unit length: the index compares vectors by dot product, which is their cosine only for
     * unit vectors, and not every model returns them normalized.
     */
    private float[] checked(Embedding embedding) {
        float[] vector = embedding.vector();
        if (vector.length != space.dimension()) {
            throw new IllegalStateException("the embedding model " + space.modelId() + " returned a vector of "
                    + vector.length + " dimensions, not " + space.dimension());
        }
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        norm = Math.sqrt(norm);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalStateException("the embedding model " + space.modelId() + " returned a vector of length "
                    + norm);
        }
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    /** The text of a chunk as it is embedded: its document's title and heading give it context, as in the index. */
    public static String passageText(String title, String headingPath, String text) {
        StringBuilder passage = new StringBuilder();
        if (title != null && !title.isEmpty()) {
            passage.append(title).append('\n');
        }
        if (headingPath != null && !headingPath.isEmpty() && !headingPath.equals(title)) {
            passage.append(headingPath).append('\n');
        }
        return passage.append(text).toString();
    }
}
