package io.yinghuo.retrieval.rag;

import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.scoring.ScoringModel;
import io.yinghuo.retrieval.langchain4j.ChineseContentRetriever;
import io.yinghuo.retrieval.search.ChunkSearcher;

import java.util.List;
import java.util.function.Supplier;

/**
 * Assembles the RAG pipeline ({@link CitedRetrievalAugmentor}) for one request. It is built per request because
 * the catalogue of documents a question may name changes as documents come and go, and the answer's room and the
 * number of passages are the request's own.
 */
final class AugmentorFactory {

    private final ChunkSearcher searcher;
    private final Supplier<List<NamedDocument>> catalogue;
    private final TokenCountEstimator estimator;
    private final KeyTerms keyTerms;
    private final int contextTokens;
    private final int resultsPerQuery;
    private final int maxPassages;
    private final double minCoverage;
    private final double minSimilarity;
    private final ScoringModel scoringModel;
    private final Double minRerankScore;

    AugmentorFactory(ChunkSearcher searcher, Supplier<List<NamedDocument>> catalogue, TokenCountEstimator estimator,
                     KeyTerms keyTerms, int contextTokens, int resultsPerQuery, int maxPassages, double minCoverage,
                     double minSimilarity) {
        this(searcher, catalogue, estimator, keyTerms, contextTokens, resultsPerQuery, maxPassages, minCoverage,
                minSimilarity, null, null);
    }

    /** With a reranker ({@code scoringModel}, null = none) and its floor ({@code minRerankScore}, null = none). */
    AugmentorFactory(ChunkSearcher searcher, Supplier<List<NamedDocument>> catalogue, TokenCountEstimator estimator,
                     KeyTerms keyTerms, int contextTokens, int resultsPerQuery, int maxPassages, double minCoverage,
                     double minSimilarity, ScoringModel scoringModel, Double minRerankScore) {
        this.searcher = searcher;
        this.catalogue = catalogue;
        this.estimator = estimator;
        this.keyTerms = keyTerms;
        this.contextTokens = contextTokens;
        this.resultsPerQuery = resultsPerQuery;
        this.maxPassages = maxPassages;
        this.minCoverage = minCoverage;
        this.minSimilarity = minSimilarity;
        this.scoringModel = scoringModel;
        this.minRerankScore = minRerankScore;
    }

    CitedRetrievalAugmentor forRequest(AskRequest request, int answerTokens) {
        return CitedRetrievalAugmentor.builder()
                .queryTransformer(ChineseQueryTransformer.builder().catalogue(catalogue).build())
                .contentRetriever(ChineseContentRetriever.builder().searcher(searcher)
                        .maxResults(resultsPerQuery).dynamicFilter(RagQueries::filter).build())
                .contentAggregator(PartQuotaContentAggregator.builder().maxContents(maxContents(request))
                        .minCoverage(minCoverage).minSimilarity(minSimilarity).keyTerms(keyTerms)
                        .scoringModel(scoringModel).minRerankScore(minRerankScore).build())
                .contentInjector(CitingContentInjector.builder().tokenCountEstimator(estimator)
                        .contextTokens(contextTokens).answerTokens(answerTokens).build())
                .build();
    }

    /**
     * Passages offered to the packer: the request's number when it sets one; otherwise the service's most, and in
     * search mode at least as many as search mode returns.
     */
    int maxContents(AskRequest request) {
        if (request.maxSources() > 0) {
            return request.maxSources();
        }
        return request.mode() == AskMode.SEARCH ? Math.max(maxPassages, request.searchResults()) : maxPassages;
    }
}
