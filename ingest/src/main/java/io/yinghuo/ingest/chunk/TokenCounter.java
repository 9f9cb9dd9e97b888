package io.yinghuo.ingest.chunk;

import dev.langchain4j.model.TokenCountEstimator;

/** Counts the tokens a piece of text costs in the model's context. Implementations are thread-safe. */
public interface TokenCounter {

    /** Tokens of {@code text.subSequence(start, end)}. */
    int count(CharSequence text, int start, int end);

    default int count(CharSequence text) {
        return count(text, 0, text.length());
    }

    /** The fast estimator calibrated on the Chinese LLaMA-2 tokenizer (see {@link EstimatingTokenCounter}). */
    static TokenCounter estimator() {
        return EstimatingTokenCounter.INSTANCE;
    }

    /** Counts from a LangChain4j estimator: exact with the model provider's {@code YinghuoTokenCountEstimator}. */
    static TokenCounter of(TokenCountEstimator estimator) {
        return new EstimatorTokenCounter(estimator);
    }
}
