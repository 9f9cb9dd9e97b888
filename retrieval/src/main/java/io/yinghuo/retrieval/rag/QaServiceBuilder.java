package io.yinghuo.retrieval.rag;

import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.scoring.ScoringModel;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.search.ChunkSearcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Configures a {@link QaService} ({@link QaService#builder()}). The settings are checked as they are given, so a bad
 * value is reported where it is set; the service itself only answers.
 */
public final class QaServiceBuilder {

    ChunkSearcher searcher;
    Supplier<List<NamedDocument>> catalogue = List::of;
    StreamingChatModel model;
    TokenCountEstimator estimator;
    int contextTokens = 4096;
    int answerTokens = 512;
    int resultsPerQuery = 8;
    int maxPassages = 16;
    double minCoverage = 0.35;
    double minSimilarity = PartQuotaContentAggregator.DEFAULT_MIN_SIMILARITY;
    String systemPrompt = QaService.DEFAULT_SYSTEM_PROMPT;
    KeyTerms keyTerms = KeyTerms.BIGRAMS;
    ScoringModel scoringModel;
    Double minRerankScore;

    QaServiceBuilder() {
    }

    /** Key terms for the relevance floor; {@link #index} sets the index's own ({@link KeyTerms#ofIndex}). */
    public QaServiceBuilder keyTerms(KeyTerms value) {
        this.keyTerms = Objects.requireNonNull(value);
        return this;
    }

    /** The index to answer from: its searcher, and its catalogue for questions that name documents. */
    public QaServiceBuilder index(ChunkStore index) {
        this.searcher = new ChunkSearcher(index);
        this.catalogue = () -> catalogueOf(index);
        this.keyTerms = KeyTerms.ofIndex(index);
        return this;
    }

    /**
     * A searcher to share (e.g. the ingest pipeline's); set after {@link #index} to replace its own. Without an
     * index or searcher only chat mode works.
     */
    public QaServiceBuilder searcher(ChunkSearcher value) {
        this.searcher = value;
        return this;
    }

    public QaServiceBuilder catalogue(Supplier<List<NamedDocument>> value) {
        this.catalogue = Objects.requireNonNull(value);
        return this;
    }

    /** The model that answers; null = none (ask answers with passages, chat is refused). */
    public QaServiceBuilder chatModel(StreamingChatModel value) {
        this.model = value;
        return this;
    }

    /** Counts tokens as the model will (the provider's {@code tokenCountEstimator()}). */
    public QaServiceBuilder tokenCountEstimator(TokenCountEstimator value) {
        this.estimator = value;
        return this;
    }

    /** The model's context (default 4096; 16384 with RoPE scaling). */
    public QaServiceBuilder contextTokens(int value) {
        this.contextTokens = value;
        return this;
    }

    /** Room kept for the answer when the request does not set maxOutputTokens (default 512). */
    public QaServiceBuilder answerTokens(int value) {
        this.answerTokens = value;
        return this;
    }

    /** Passages retrieved per query (per part, per named document; default 8). */
    public QaServiceBuilder resultsPerQuery(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("resultsPerQuery must be at least 1, got " + value);
        }
        this.resultsPerQuery = value;
        return this;
    }

    /** Passages offered to the packer at most, over all parts (default 16). */
    public QaServiceBuilder maxPassages(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("maxPassages must be at least 1, got " + value);
        }
        this.maxPassages = value;
        return this;
    }

    /** Relevance floor, see {@link PartQuotaContentAggregator.Builder#minCoverage} (default 0.35). */
    public QaServiceBuilder minCoverage(double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("minCoverage must be in [0, 1], got " + value);
        }
        this.minCoverage = value;
        return this;
    }

    /** Vector relevance floor, see {@link PartQuotaContentAggregator.Builder#minSimilarity}. */
    public QaServiceBuilder minSimilarity(double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("minSimilarity must be in [0, 1], got " + value);
        }
        this.minSimilarity = value;
        return this;
    }

    /**
     * A reranker (a cross-encoder such as bge-reranker) that re-orders each question part's passages by its score
     * for the part, see {@link PartQuotaContentAggregator.Builder#scoringModel}; null (the default) = none.
     */
    public QaServiceBuilder scoringModel(ScoringModel value) {
        this.scoringModel = value;
        return this;
    }

    /**
     * With a {@link #scoringModel}: the least reranker score a passage needs, replacing the relevance floor for the
     * passages it scored, see {@link PartQuotaContentAggregator.Builder#minRerankScore}; null (the default) = none.
     */
    public QaServiceBuilder minRerankScore(Double value) {
        if (value != null && value.isNaN()) {
            throw new IllegalArgumentException("minRerankScore must be a number, got NaN");
        }
        this.minRerankScore = value;
        return this;
    }

    /** The system prompt sent with document questions (default {@link QaService#DEFAULT_SYSTEM_PROMPT}). */
    public QaServiceBuilder systemPrompt(String value) {
        this.systemPrompt = Objects.requireNonNull(value);
        return this;
    }

    /**
     * @throws NullPointerException     without a token count estimator
     * @throws IllegalArgumentException when the answer's room does not leave room in the context
     * @throws IllegalStateException    with a {@link #minRerankScore} but no {@link #scoringModel}
     */
    public QaService build() {
        Objects.requireNonNull(estimator, "a tokenCountEstimator is required: it counts the context budget with the"
                + " model's tokenizer");
        if (answerTokens >= contextTokens) {
            throw new IllegalArgumentException("the answer room (" + answerTokens + " tokens) must be smaller than"
                    + " the context (" + contextTokens + ")");
        }
        if (minRerankScore != null && scoringModel == null) {
            throw new IllegalStateException("minRerankScore needs a scoringModel (a reranker)");
        }
        return new QaService(this);
    }

    AugmentorFactory augmentors() {
        return new AugmentorFactory(searcher, catalogue, estimator, keyTerms, contextTokens, resultsPerQuery,
                maxPassages, minCoverage, minSimilarity, scoringModel, minRerankScore);
    }

    private static List<NamedDocument> catalogueOf(ChunkStore index) {
        List<NamedDocument> documents = new ArrayList<>();
        for (DocumentRecord record : index.documents()) {
            documents.add(NamedDocument.of(record.docId(), record.title(), record.fileName()));
        }
        return documents;
    }
}
