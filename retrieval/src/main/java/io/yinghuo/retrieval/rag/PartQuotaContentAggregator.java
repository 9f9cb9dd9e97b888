package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
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
 * contents of each part (all its queries and retrievers) are fused by reciprocal rank, passages that cover too
 * little of the part (see {@link QueryCoverage#relevant}) are dropped, and the parts then take turns —
 * best of part 1, best of part 2, second of part 1… — so a budget that cuts the list keeps the best passages of
 * every part instead of filling up with the part whose words are rarest. A passage two parts retrieved is kept
 * once, for the first.
 *
 * <p>Each returned content's text segment carries its part index under {@link Evidence#PART}. Parts are read from
 * the queries' invocation parameters ({@link RagQueries#part}); queries without one count as parts in the map's
 * iteration order.
 */
public final class PartQuotaContentAggregator implements ContentAggregator {

    /** Reciprocal rank fusion constant (Cormack et al. 2009; LangChain4j's {@code ReciprocalRankFuser} uses 60). */
    private static final int RRF_K = 60;

    private final int maxContents;
    private final double minCoverage;
    private final KeyTerms keyTerms;

    private PartQuotaContentAggregator(Builder builder) {
        this.maxContents = builder.maxContents;
        this.minCoverage = builder.minCoverage;
        this.keyTerms = builder.keyTerms;
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
            rankings.add(relevant(part.getValue()));
            partOfRanking.add(part.getKey());
        }
        return interleave(rankings, partOfRanking);
    }

    /** One part's contents fused over its queries and retrievers, without passages that miss the part. */
    private List<Content> relevant(List<Map.Entry<Query, Collection<List<Content>>>> queries) {
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
        List<Content> kept = new ArrayList<>();
        for (String key : keys) {
            Content content = first.get(key);
            QueryCoverage coverage = coverageOfKey.get(key);
            if (minCoverage <= 0 || coverage.relevant(searchedText(content), minCoverage)) {
                kept.add(content);
            }
        }
        return kept;
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
        private KeyTerms keyTerms = KeyTerms.BIGRAMS;

        private Builder() {
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

        public PartQuotaContentAggregator build() {
            return new PartQuotaContentAggregator(this);
        }
    }
}
