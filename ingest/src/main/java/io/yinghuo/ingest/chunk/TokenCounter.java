package io.yinghuo.ingest.chunk;

import dev.langchain4j.model.TokenCountEstimator;

import java.util.Objects;

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

    /**
     * Counts from a LangChain4j estimator: with the provider's {@code YinghuoTokenCountEstimator} (the model's own
     * SentencePiece tokenizer) a chunk costs in the prompt exactly what was counted here. Ingest sees only the
     * LangChain4j interface, so it does not depend on the inference engine.
     */
    static TokenCounter of(TokenCountEstimator estimator) {
        Objects.requireNonNull(estimator, "estimator");
        return (text, start, end) ->
                start >= end ? 0 : estimator.estimateTokenCountInText(text.subSequence(start, end).toString());
    }
}
