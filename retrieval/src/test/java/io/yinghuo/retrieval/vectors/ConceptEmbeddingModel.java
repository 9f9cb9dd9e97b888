package io.yinghuo.retrieval.vectors;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic stand-in for a real embedding model, for tests: a text's vector counts its "concepts" (each a
 * group of synonyms, one dimension per group, weight 1 per occurrence) plus its character bigrams hashed into the
 * remaining dimensions with a small weight. So a reworded question ("大夫去哪儿上班") is nearest to a passage that
 * uses a synonym ("医生…") even when the two share no word, as with a real model, while texts without a common
 * concept are told apart by their bigrams only weakly. Vectors are not normalized (the {@link Embedder} does that).
 */
public final class ConceptEmbeddingModel implements EmbeddingModel {

    /** Synonym groups, one dimension each, in this order. */
    public static final List<List<String>> CONCEPTS = List.of(
            List.of("电脑", "计算机"),
            List.of("汽车", "轿车", "车辆"),
            List.of("医生", "大夫"),
            List.of("医院", "诊所"),
            List.of("茶叶", "茗茶"),
            List.of("下雨", "降雨"),
            List.of("货币", "钞票"),
            List.of("猫咪", "小猫"));

    public static final String DEFAULT_NAME = "concept-test";
    public static final int DEFAULT_DIMENSION = 64;
    static final float BIGRAM_WEIGHT = 0.15f;

    private final String name;
    private final int dimension;

    public ConceptEmbeddingModel() {
        this(DEFAULT_NAME, DEFAULT_DIMENSION);
    }

    public ConceptEmbeddingModel(String name, int dimension) {
        if (dimension <= CONCEPTS.size()) {
            throw new IllegalArgumentException("need more than " + CONCEPTS.size() + " dimensions");
        }
        this.name = name;
        this.dimension = dimension;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<Embedding> embeddings = new ArrayList<>(segments.size());
        for (TextSegment segment : segments) {
            embeddings.add(Embedding.from(vector(segment.text())));
        }
        return Response.from(embeddings);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String modelName() {
        return name;
    }

    /** The raw (not normalized) vector of a text. */
    public float[] vector(String text) {
        float[] vector = new float[dimension];
        for (int c = 0; c < CONCEPTS.size(); c++) {
            for (String synonym : CONCEPTS.get(c)) {
                for (int at = text.indexOf(synonym); at >= 0; at = text.indexOf(synonym, at + synonym.length())) {
                    vector[c] += 1;
                }
            }
        }
        int buckets = dimension - CONCEPTS.size();
        for (int i = 0; i + 1 < text.length(); i++) {
            char a = text.charAt(i);
            char b = text.charAt(i + 1);
            if (Character.isLetterOrDigit(a) && Character.isLetterOrDigit(b)) {
                int hash = (a * 31 + b) * 0x9E3779B1;
                vector[CONCEPTS.size() + Math.floorMod(hash ^ (hash >>> 16), buckets)] += BIGRAM_WEIGHT;
            }
        }
        boolean empty = true;
        for (float v : vector) {
            empty &= v == 0;
        }
        if (empty) {
            vector[dimension - 1] = BIGRAM_WEIGHT; // a text without concepts or bigrams still has a direction
        }
        return vector;
    }

    /** Cosine similarity of two raw vectors (for expected values in tests). */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
