package io.yinghuo.ingest.chunk;

import io.yinghuo.model.tokenizer.Tokenizer;

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

    /** Exact counts: {@code tokenizer.encode(text).length}. */
    static TokenCounter of(Tokenizer tokenizer) {
        return new TokenizerTokenCounter(tokenizer);
    }
}
