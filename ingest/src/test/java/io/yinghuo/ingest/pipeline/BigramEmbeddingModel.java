package io.yinghuo.ingest.pipeline;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic embedding model for tests: character unigrams and bigrams hashed into {@link #DIMENSION}
 * dimensions, unit length. The same text always gets the same vector, texts that share words get near vectors, and
 * nothing is downloaded or loaded.
 *
 * <p>It records what it is asked to embed (passage batches apart from queries, the backfill's warm-up included),
 * and a test can put a {@link Hook} in front of every passage batch to fail, block or observe it.
 */
final class BigramEmbeddingModel implements EmbeddingModel {

    static final int DIMENSION = 64;

    /** Runs before each passage batch ({@link #embedAll}) is embedded, in the embedding thread. */
    @FunctionalInterface
    interface Hook {
        void beforeBatch(List<String> passages) throws InterruptedException;
    }

    /** Runs before each query ({@link #embed(String)}) is embedded, in the searching thread. */
    @FunctionalInterface
    interface QueryHook {
        void beforeQuery(String query) throws InterruptedException;
    }

    private final String name;
    private final int seed;
    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicInteger queries = new AtomicInteger();
    private final List<String> passages = new CopyOnWriteArrayList<>();
    private volatile Hook hook = p -> {
    };
    private volatile QueryHook queryHook = q -> {
    };

    /** A model whose vectors depend on {@code seed}: two seeds are two different models. */
    BigramEmbeddingModel(String name, int seed) {
        this.name = name;
        this.seed = seed;
    }

    BigramEmbeddingModel(String name) {
        this(name, 0);
    }

    /** Replaces the hook (the default does nothing). */
    BigramEmbeddingModel withHook(Hook value) {
        hook = value;
        return this;
    }

    /** Replaces the query hook (the default does nothing). */
    BigramEmbeddingModel withQueryHook(QueryHook value) {
        queryHook = value;
        return this;
    }

    /** Passage batches embedded so far ({@link #embedAll} calls, the warm-up included). */
    int batches() {
        return batches.get();
    }

    /** Queries embedded so far. */
    int queries() {
        return queries.get();
    }

    /** Every passage embedded so far, in order, the warm-up included. */
    List<String> passages() {
        return List.copyOf(passages);
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<String> texts = segments.stream().map(TextSegment::text).toList();
        try {
            hook.beforeBatch(texts);
        } catch (InterruptedException e) {
            // A model computing on the CPU does not notice an interrupt: it finishes the batch, the flag stays set.
            Thread.currentThread().interrupt();
        }
        batches.incrementAndGet();
        passages.addAll(texts);
        List<Embedding> embeddings = new ArrayList<>(texts.size());
        for (String text : texts) {
            embeddings.add(Embedding.from(vectorOf(text)));
        }
        return Response.from(embeddings);
    }

    @Override
    public Response<Embedding> embed(String text) {
        try {
            queryHook.beforeQuery(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queries.incrementAndGet();
        return Response.from(Embedding.from(vectorOf(text)));
    }

    @Override
    public Response<Embedding> embed(TextSegment segment) {
        return embed(segment.text());
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public String modelName() {
        return name;
    }

    /** The unit vector this model gives {@code text}. */
    float[] vectorOf(String text) {
        return vector(text, seed);
    }

    /** The unit vector of {@code text} under {@code seed}. */
    static float[] vector(String text, int seed) {
        int a = 31 + 2 * seed;
        int b = 131 + 6 * seed;
        float[] v = new float[DIMENSION];
        v[0] = 0.01f; // never the zero vector, even for "" or one character
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            v[Math.floorMod(c * a + 7 + seed, DIMENSION)] += 0.5f;
            if (i + 1 < text.length() && !Character.isWhitespace(text.charAt(i + 1))) {
                v[Math.floorMod(c * b + text.charAt(i + 1) * 17, DIMENSION)] += 1f;
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
        return v;
    }
}
