package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.aggregator.ContentAggregator;
import dev.langchain4j.rag.query.Query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A LangChain4j {@link ContentAggregator} that gives every part of a question its share of the context: the
 * contents of each part (all its queries and retrievers) are fused by reciprocal rank, passages that are not
 * relevant to the part are dropped, and the parts then take turns —
 * best of part 1, best of part 2, second of part 1… — so a budget that cuts the list keeps the best passages of
 * every part instead of filling up with the part whose words are rarest. A passage two parts retrieved is kept
 * once, for the first.
 *
 * <p>The relevance floor has two doors, because keywords and meaning fail differently. A passage is kept when it
 * covers enough of the part's key terms ({@link QueryCoverage#relevant}, {@code minCoverage}) <em>or</em> when
 * its vector is close enough to the part's (the retriever's {@code similarity}, LangChain4j's {@code (1 + cos) / 2},
 * at least {@code minSimilarity}). A question in the user's own words shares few terms with the passage that
 * answers it, and the keyword door alone threw that passage away, often the part's only relevant one; a passage
 * that repeats the question's rare names is relevant however its vector lies. Passages ranked by keywords alone
 * (no vectors yet) have only the first door.
 *
 * <p>With a {@link Builder#scoringModel scoring model} (a cross-encoder reranker, LangChain4j's
 * {@code ReRankingContentAggregator} convention) the first {@value #RERANK_DEPTH} candidates of each part are scored
 * against the part's own text (not the whole question) and re-ordered by that score, before the parts take turns;
 * the score is put in the content's metadata under {@link ContentMetadata#RERANKED_SCORE}. Without
 * {@link Builder#minRerankScore} the relevance floor above still decides what is kept, and the reranker only orders
 * what passed it. With it, the reranker's score decides instead, for the contents it scored: those under the
 * minimum are dropped, whatever their keywords, and those at or above it kept; candidates beyond the first
 * {@value #RERANK_DEPTH} keep the floor above and follow the reranked ones.
 *
 * <p>Each returned content's text segment carries its part index under {@link Evidence#PART}. Parts are read from
 * the queries' invocation parameters ({@link RagQueries#part}); queries without one count as parts in the map's
 * iteration order.
 */
public final class PartQuotaContentAggregator implements ContentAggregator {

    /** Reciprocal rank fusion constant (Cormack et al. 2009; LangChain4j's {@code ReciprocalRankFuser} uses 60). */
    private static final int RRF_K = 60;

    /** Candidates of a part the scoring model scores at most (a cross-encoder costs a model run per passage). */
    public static final int RERANK_DEPTH = 20;

    /** Default vector floor, see {@link Builder#minSimilarity}; measured on the dev questions (BENCHMARKS.md). */
    public static final double DEFAULT_MIN_SIMILARITY = 0.72;

    private final int maxContents;
    private final double minCoverage;
    private final double minSimilarity;
    private final KeyTerms keyTerms;
    private final ScoringModel scoringModel;
    private final Double minRerankScore;

    private PartQuotaContentAggregator(Builder builder) {
        this.maxContents = builder.maxContents;
        this.minCoverage = builder.minCoverage;
        this.minSimilarity = builder.minSimilarity;
        this.keyTerms = builder.keyTerms;
        this.scoringModel = builder.scoringModel;
        this.minRerankScore = builder.minRerankScore;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Content> aggregate(Map<Query, Collection<List<Content>>> queryToContents) {
        Map<Integer, List<Map.Entry<Query, Collection<List<Content>>>>> byPart = new TreeMap<>();
        boolean tagged = queryToContents.keySet().stream().anyMatch(q -> RagQueries.part(q) > 0
                || q.metadata() != null && q.metadata().invocationContext() != null
                && q.metadata().invocationContext().invocationParameters() != null
                && q.metadata().invocationContext().invocationParameters().containsKey(RagQueries.PART));
        int order = 0;
        for (Map.Entry<Query, Collection<List<Content>>> entry : queryToContents.entrySet()) {
            int part = tagged ? RagQueries.part(entry.getKey()) : order++;
            byPart.computeIfAbsent(part, p -> new ArrayList<>()).add(entry);
        }
        List<List<Content>> rankings = new ArrayList<>();
        List<Integer> partOfRanking = new ArrayList<>();
        for (Map.Entry<Integer, List<Map.Entry<Query, Collection<List<Content>>>>> part : byPart.entrySet()) {
            rankings.add(relevant(part.getKey(), part.getValue()));
            partOfRanking.add(part.getKey());
        }
        return interleave(rankings, partOfRanking);
    }

    /**
     * One part's contents fused over its queries and retrievers (and reranked, with a scoring model), without
     * passages that miss the part.
     */
    private List<Content> relevant(int part, List<Map.Entry<Query, Collection<List<Content>>>> queries) {
        Map<String, Double> fused = new HashMap<>();
        Map<String, Content> first = new LinkedHashMap<>();
        Map<String, QueryCoverage> coverageByText = new HashMap<>();
        Map<String, QueryCoverage> coverageOfKey = new HashMap<>();
        for (Map.Entry<Query, Collection<List<Content>>> query : queries) {
            QueryCoverage coverage = coverageByText.computeIfAbsent(query.getKey().text(),
                    text -> QueryCoverage.of(text, keyTerms));
            for (List<Content> ranking : query.getValue()) {
                for (int rank = 0; rank < ranking.size(); rank++) {
                    Content content = ranking.get(rank);
                    String key = Evidence.key(content);
                    fused.merge(key, 1.0 / (RRF_K + rank + 1), Double::sum);
                    first.putIfAbsent(key, content);
                    coverageOfKey.putIfAbsent(key, coverage);
                }
            }
        }
        List<String> keys = new ArrayList<>(first.keySet());
        keys.sort((a, b) -> Double.compare(fused.get(b), fused.get(a))); // stable: ties keep retrieval order
        if (scoringModel != null && minRerankScore != null) {
            // The reranker's score is the floor for what it scores; the keyword and vector floor for the rest.
            int depth = Math.min(RERANK_DEPTH, keys.size());
            List<Content> reranked = rerank(part, queries.get(0).getKey().text(), contents(keys.subList(0, depth),
                    first));
            List<Content> kept = new ArrayList<>();
            for (Content content : reranked) {
                if ((Double) content.metadata().get(ContentMetadata.RERANKED_SCORE) >= minRerankScore) {
                    kept.add(content);
                }
            }
            kept.addAll(aboveFloor(keys.subList(depth, keys.size()), first, coverageOfKey));
            return kept;
        }
        List<Content> kept = aboveFloor(keys, first, coverageOfKey);
        if (scoringModel == null || kept.isEmpty()) {
            return kept;
        }
        int depth = Math.min(RERANK_DEPTH, kept.size());
        List<Content> reranked = rerank(part, queries.get(0).getKey().text(), kept.subList(0, depth));
        reranked.addAll(kept.subList(depth, kept.size()));
        return reranked;
    }

    private static List<Content> contents(List<String> keys, Map<String, Content> byKey) {
        List<Content> contents = new ArrayList<>(keys.size());
        for (String key : keys) {
            contents.add(byKey.get(key));
        }
        return contents;
    }

    /** The contents of {@code keys}, in order, that pass the keyword or the vector floor. */
    private List<Content> aboveFloor(List<String> keys, Map<String, Content> first,
                                     Map<String, QueryCoverage> coverageOfKey) {
        List<Content> kept = new ArrayList<>();
        for (String key : keys) {
            Content content = first.get(key);
            QueryCoverage coverage = coverageOfKey.get(key);
            if (minCoverage <= 0 || coverage.relevant(searchedText(content), minCoverage)
                    || similarity(content) >= minSimilarity) {
                kept.add(content);
            }
        }
        return kept;
    }

    /**
     * {@code candidates} scored by the scoring model against the part's text, best first (ties keep their order),
     * each with its score under {@link ContentMetadata#RERANKED_SCORE}. The model sees the passage as the retriever
     * searched it, its document title first.
     *
     * @throws IllegalStateException when the scoring model fails or answers with the wrong number of scores
     */
    private List<Content> rerank(int part, String partText, List<Content> candidates) {
        if (candidates.isEmpty()) {
            return new ArrayList<>();
        }
        List<TextSegment> segments = new ArrayList<>(candidates.size());
        for (Content content : candidates) {
            segments.add(TextSegment.from(searchedText(content), content.textSegment().metadata()));
        }
        List<Double> scores;
        try {
            Response<List<Double>> response = scoringModel.scoreAll(segments, partText);
            scores = response == null ? null : response.content();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the reranker failed on question part " + (part + 1) + " (重排序失败): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (scores == null || scores.size() != candidates.size()) {
            throw new IllegalStateException("the reranker returned " + (scores == null ? "no" : scores.size())
                    + " scores for " + candidates.size() + " passages of question part " + (part + 1)
                    + " (重排序失败)");
        }
        List<Content> scored = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Double score = scores.get(i);
            if (score == null || score.isNaN()) {
                throw new IllegalStateException("the reranker returned " + score + " as the score of a passage of"
                        + " question part " + (part + 1) + " (重排序失败)");
            }
            Map<ContentMetadata, Object> metadata = new HashMap<>(candidates.get(i).metadata());
            metadata.put(ContentMetadata.RERANKED_SCORE, score);
            scored.add(Content.from(candidates.get(i).textSegment(), metadata));
        }
        scored.sort((a, b) -> Double.compare((Double) b.metadata().get(ContentMetadata.RERANKED_SCORE),
                (Double) a.metadata().get(ContentMetadata.RERANKED_SCORE)));
        return scored;
    }

    /** The passage's vector similarity to its query; 0 when it was ranked by keywords only. */
    private static double similarity(Content content) {
        Double similarity = content.textSegment().metadata().getDouble(
                io.yinghuo.retrieval.langchain4j.ChineseContentRetriever.SIMILARITY);
        return similarity == null ? 0 : similarity;
    }

    /** The passage as the retriever searched it: its document title belongs to every chunk (see the index). */
    private static String searchedText(Content content) {
        String title = content.textSegment().metadata().getString(
                io.yinghuo.retrieval.langchain4j.ChineseContentRetriever.TITLE);
        String text = content.textSegment().text();
        return title == null || title.isEmpty() ? text : title + "\n" + text;
    }

    private List<Content> interleave(List<List<Content>> rankings, List<Integer> parts) {
        List<Content> out = new ArrayList<>();
        Set<String> taken = new LinkedHashSet<>();
        int longest = rankings.stream().mapToInt(List::size).max().orElse(0);
        for (int rank = 0; rank < longest && out.size() < maxContents; rank++) {
            for (int p = 0; p < rankings.size() && out.size() < maxContents; p++) {
                List<Content> ranking = rankings.get(p);
                if (rank < ranking.size() && taken.add(Evidence.key(ranking.get(rank)))) {
                    out.add(withPart(ranking.get(rank), parts.get(p)));
                }
            }
        }
        return out;
    }

    static Content withPart(Content content, int part) {
        TextSegment segment = content.textSegment();
        TextSegment tagged = TextSegment.from(segment.text(), segment.metadata().copy().put(Evidence.PART, part));
        return Content.from(tagged, content.metadata());
    }

    public static final class Builder {
        private int maxContents = 16;
        private double minCoverage = 0.35;
        private double minSimilarity = DEFAULT_MIN_SIMILARITY;
        private KeyTerms keyTerms = KeyTerms.BIGRAMS;
        private ScoringModel scoringModel;
        private Double minRerankScore;

        private Builder() {
        }

        /**
         * A reranker (e.g. a cross-encoder) that re-orders each part's first {@value #RERANK_DEPTH} candidates by
         * its score for the part's text; null (the default) = none, the fused order stays.
         */
        public Builder scoringModel(ScoringModel value) {
            this.scoringModel = value;
            return this;
        }

        /**
         * With a {@link #scoringModel}: the least reranker score a passage needs, which then replaces the keyword
         * and vector floor for the passages the reranker scored (LangChain4j's {@code ReRankingContentAggregator}
         * {@code minScore}); null (the default) = the floor decides, the reranker only orders.
         */
        public Builder minRerankScore(Double value) {
            if (value != null && value.isNaN()) {
                throw new IllegalArgumentException("minRerankScore must be a number, got NaN");
            }
            this.minRerankScore = value;
            return this;
        }

        /**
         * The key terms of a part and their weights (default {@link KeyTerms#BIGRAMS}, all the same); give
         * {@link KeyTerms#ofIndex} so that rare names count more than common words.
         */
        public Builder keyTerms(KeyTerms value) {
            this.keyTerms = java.util.Objects.requireNonNull(value);
            return this;
        }

        /** Passages kept at most, over all parts (default 16; the injector's token budget usually cuts sooner). */
        public Builder maxContents(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxContents must be at least 1, got " + value);
            }
            this.maxContents = value;
            return this;
        }

        /**
         * Least share of a part's key units ({@link QueryCoverage}) a passage must contain to count as relevant
         * (default 0.2; 0 keeps everything the retriever returned).
         */
        public Builder minCoverage(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("minCoverage must be in [0, 1], got " + value);
            }
            this.minCoverage = value;
            return this;
        }

        /**
         * Least vector similarity ({@code (1 + cos) / 2}) that makes a passage relevant whatever its keywords
         * (default {@value #DEFAULT_MIN_SIMILARITY}; 1 turns this door off).
         */
        public Builder minSimilarity(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("minSimilarity must be in [0, 1], got " + value);
            }
            this.minSimilarity = value;
            return this;
        }

        /** @throws IllegalStateException when a {@link #minRerankScore} is set without a {@link #scoringModel} */
        public PartQuotaContentAggregator build() {
            if (minRerankScore != null && scoringModel == null) {
                throw new IllegalStateException("minRerankScore needs a scoringModel");
            }
            return new PartQuotaContentAggregator(this);
        }
    }
}
