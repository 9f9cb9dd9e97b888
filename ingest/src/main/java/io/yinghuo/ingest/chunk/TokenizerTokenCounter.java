package io.yinghuo.ingest.chunk;

import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.Objects;

/** Exact token counts from the model's own tokenizer (SentencePiece encode, as the prompt will be encoded). */
public final class TokenizerTokenCounter implements TokenCounter {

    private final Tokenizer tokenizer;

    public TokenizerTokenCounter(Tokenizer tokenizer) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    }

    @Override
    public int count(CharSequence text, int start, int end) {
        return start >= end ? 0 : tokenizer.encode(text.subSequence(start, end).toString()).length;
    }
}
