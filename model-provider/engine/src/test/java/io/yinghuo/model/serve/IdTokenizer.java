package io.yinghuo.model.serve;

import io.yinghuo.model.tokenizer.StreamingDecoder;
import io.yinghuo.model.tokenizer.Tokenizer;

/** A tokenizer for random models: token i reads " i"; BOS 1; EOS 2 (random models rarely pick it). */
final class IdTokenizer implements Tokenizer {
    private final int vocab;

    IdTokenizer(int vocab) {
        this.vocab = vocab;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public int bosId() {
        return 1;
    }

    @Override
    public int eosId() {
        return 2;
    }

    @Override
    public int[] encode(String text) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int[] encodePrompt(String text) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) {
            b.append(piece(id));
        }
        return b.toString();
    }

    @Override
    public String piece(int id) {
        return " " + id;
    }

    @Override
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder() {
            @Override
            public String accept(int id) {
                return piece(id);
            }

            @Override
            public String flush() {
                return "";
            }
        };
    }
}
