package io.yinghuo.web;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.yinghuo.retrieval.vectors.Embedder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small deterministic embedding model for tests, in place of the built-in bge-small-zh-v1.5 (100 MB, seconds to
 * load): each character and each pair of neighbouring characters adds 1 to one of {@value #DIMENSION} buckets, so
 * texts that share words point the same way. Queries carry the instruction {@value #QUERY}, which tells them apart
 * from passages: a {@link Gate} can hold passages (the vector backfill) back while queries (searches) go through.
 */
public final class TestEmbeddings {

    public static final int DIMENSION = 64;
    public static final String MODEL_ID = "test-hashed-chars";
    static final String QUERY = "query: ";

    private TestEmbeddings() {
    }

    /** The model, never waiting. */
    public static Embedder hashed() {
        return Embedder.of(new HashedModel(null), MODEL_ID, DIMENSION, QUERY);
    }

    /** The model whose passages wait until {@code gate} is opened (queries never wait). */
    public static Embedder gated(Gate gate) {
        return Embedder.of(new HashedModel(gate), MODEL_ID, DIMENSION, QUERY);
    }

    /** Holds passage embedding back until opened; counts the passages embedded. */
    public static final class Gate {
        private final CountDownLatch open = new CountDownLatch(1);
        private final AtomicInteger passages = new AtomicInteger();

        public void open() {
            open.countDown();
        }

        /** Passages embedded so far (the backfill's warm-up included). */
        public int passages() {
            return passages.get();
        }

        void pass() {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the test gate was closed", e);
            }
        }
    }

    private static final class HashedModel implements EmbeddingModel {
        private final Gate gate;

        HashedModel(Gate gate) {
            this.gate = gate;
        }

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            List<Embedding> embeddings = new ArrayList<>(segments.size());
            for (TextSegment segment : segments) {
                String text = segment.text();
                if (text.startsWith(QUERY)) {
                    text = text.substring(QUERY.length());
                } else if (gate != null) {
                    gate.pass();
                    gate.passages.incrementAndGet();
                }
                embeddings.add(Embedding.from(vector(text)));
            }
            return Response.from(embeddings);
        }

        @Override
        public int dimension() {
            return DIMENSION;
        }

        @Override
        public String modelName() {
            return MODEL_ID;
        }
    }

    static float[] vector(String text) {
        float[] v = new float[DIMENSION];
        v[0] = 0.5f; // never the zero vector
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            v[1 + Math.floorMod(c * 31, DIMENSION - 1)] += 1;
            if (i + 1 < text.length()) {
                v[1 + Math.floorMod(c * 131 + text.charAt(i + 1) * 7, DIMENSION - 1)] += 1;
            }
        }
        return v;
    }
}
