package io.yinghuo.retrieval.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A LangChain4j {@link ContentRetriever} over the Chinese index: BM25 keywords (smartcn words + character bigrams,
 * traditional folded to simplified) and, when the searcher has an embedding model
 * ({@link ChunkSearcher#ChunkSearcher(io.yinghuo.retrieval.index.ChunkStore, io.yinghuo.retrieval.vectors.Embedder)},
 * any LangChain4j {@code EmbeddingModel}), vectors of the chunks' meaning, their normalized scores combined. Use it
 * on its own, in {@code AiServices.builder(..).contentRetriever(..)}, or in a {@code DefaultRetrievalAugmentor}.
 *
 * <p>Each {@link Content} carries a {@link TextSegment} (the chunk text) whose metadata holds the citation:
 * {@value #DOCUMENT_ID}, {@value #FILE_NAME}, {@value #TITLE}, {@value #COLLECTION}, {@value #PAGE} (1-based),
 * {@value #HEADING_PATH}, {@value #START_OFFSET}/{@value #END_OFFSET} (UTF-16 offsets of the chunk in the
 * document's parsed text), {@value #CHUNK_INDEX}, {@value #SCORE}, {@value #RETRIEVAL} ({@code hybrid} or
 * {@code lexical}) and, for hybrid hits, {@value #SIMILARITY}. The score is in [0, 1] (see
 * {@link SearchHit#score()}: keyword and vector scores, each divided by the best, combined so that the best possible
 * is 1) and is also in the content metadata under {@link ContentMetadata#SCORE}; {@code minScore} drops contents
 * below it, as LangChain4j's own retrievers do. {@value #SIMILARITY} is LangChain4j's relevance score of the two
 * vectors, {@code (1 + cos) / 2}.
 */
public final class ChineseContentRetriever implements ContentRetriever {

    public static final String DOCUMENT_ID = "document_id";
    public static final String FILE_NAME = "file_name";
    public static final String TITLE = "title";
    public static final String COLLECTION = "collection";
    public static final String PAGE = "page";
    public static final String HEADING_PATH = "heading_path";
    public static final String START_OFFSET = "start_offset";
    public static final String END_OFFSET = "end_offset";
    public static final String CHUNK_INDEX = "chunk_index";
    public static final String SCORE = "score";
    public static final String RETRIEVAL = "retrieval";
    public static final String SIMILARITY = "similarity";

    private final ChunkSearcher searcher;
    private final Function<Query, Integer> maxResults;
    private final Function<Query, Double> minScore;
    private final Function<Query, RetrievalFilter> filter;

    private ChineseContentRetriever(Builder builder) {
        this.searcher = Objects.requireNonNull(builder.searcher, "searcher");
        this.maxResults = builder.maxResults;
        this.minScore = builder.minScore;
        this.filter = builder.filter;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Content> retrieve(Query query) {
        RetrievalFilter scope = Objects.requireNonNullElse(filter.apply(query), RetrievalFilter.all());
        SearchRequest request = SearchRequest.of(query.text(), maxResults.apply(query))
                .withMinScore(minScore.apply(query))
                .withDocIds(scope.docIds())
                .withCollections(scope.collections())
                .withSnippets(false);
        List<SearchHit> hits;
        try {
            hits = searcher.search(request);
        } catch (IOException e) {
            throw new UncheckedIOException("searching the index failed", e);
        }
        List<Content> contents = new ArrayList<>(hits.size());
        for (SearchHit hit : hits) {
            Metadata metadata = new Metadata()
                    .put(DOCUMENT_ID, hit.docId())
                    .put(FILE_NAME, hit.fileName())
                    .put(TITLE, hit.title())
                    .put(COLLECTION, hit.collection())
                    .put(PAGE, hit.page())
                    .put(HEADING_PATH, hit.headingPath())
                    .put(START_OFFSET, hit.start())
                    .put(END_OFFSET, hit.end())
                    .put(CHUNK_INDEX, hit.chunkIndex())
                    .put(SCORE, (double) hit.score())
                    .put(RETRIEVAL, hit.retrieval());
            if (!Float.isNaN(hit.similarity())) {
                metadata.put(SIMILARITY, (double) hit.similarity());
            }
            contents.add(Content.from(TextSegment.from(hit.text(), metadata),
                    Map.of(ContentMetadata.SCORE, (double) hit.score())));
        }
        return contents;
    }

    /** Builder; only {@link #searcher} is required. */
    public static final class Builder {
        private ChunkSearcher searcher;
        private Function<Query, Integer> maxResults = q -> 5;
        private Function<Query, Double> minScore = q -> 0.0;
        private Function<Query, RetrievalFilter> filter = q -> RetrievalFilter.all();

        private Builder() {
        }

        public Builder searcher(ChunkSearcher value) {
            this.searcher = value;
            return this;
        }

        /** Chunks to return at most (default 5). */
        public Builder maxResults(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxResults must be at least 1, got " + value);
            }
            this.maxResults = q -> value;
            return this;
        }

        public Builder dynamicMaxResults(Function<Query, Integer> value) {
            this.maxResults = Objects.requireNonNull(value);
            return this;
        }

        /** Least score in [0, 1] (default 0: keep all). */
        public Builder minScore(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("minScore must be in [0, 1], got " + value);
            }
            this.minScore = q -> value;
            return this;
        }

        public Builder dynamicMinScore(Function<Query, Double> value) {
            this.minScore = Objects.requireNonNull(value);
            return this;
        }

        /** A fixed restriction to documents and/or collections. */
        public Builder filter(RetrievalFilter value) {
            Objects.requireNonNull(value);
            this.filter = q -> value;
            return this;
        }

        /**
         * A restriction computed per query, e.g. from {@code query.metadata().invocationParameters()} (the
         * documents a user selected, the collections they may read).
         */
        public Builder dynamicFilter(Function<Query, RetrievalFilter> value) {
            this.filter = Objects.requireNonNull(value);
            return this;
        }

        public ChineseContentRetriever build() {
            return new ChineseContentRetriever(this);
        }
    }
}
