package io.yinghuo.ingest.chunk;

import dev.langchain4j.model.TokenCountEstimator;

import java.util.Objects;

/**
 * Exact token counts from a LangChain4j {@link TokenCountEstimator}: with the model provider's estimator (which encodes
 * with the model's own SentencePiece tokenizer) a chunk costs in the prompt exactly what was counted here. Ingest sees
 * only the LangChain4j interface, so it does not depend on the inference engine.
 */
public final class EstimatorTokenCounter implements TokenCounter {

    private final TokenCountEstimator estimator;

    public EstimatorTokenCounter(TokenCountEstimator estimator) {
        this.estimator = Objects.requireNonNull(estimator, "estimator");
    }

    @Override
    public int count(CharSequence text, int start, int end) {
        return start >= end ? 0 : estimator.estimateTokenCountInText(text.subSequence(start, end).toString());
    }
}
