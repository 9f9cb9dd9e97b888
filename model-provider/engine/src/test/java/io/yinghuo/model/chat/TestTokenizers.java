package io.yinghuo.model.chat;

import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.testing.SharedData;
import io.yinghuo.model.tokenizer.SentencePieceModel;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.stream.IntStream;

/** The tokenizers the chat tests run against, each loaded once. */
final class TestTokenizers {

    private static SentencePieceTokenizer real;
    private static SentencePieceTokenizer synthetic;

    private TestTokenizers() {
    }

    /** The real Chinese-LLaMA-2 tokenizer from the shared directory; skips the calling test when it is absent. */
    static synchronized Tokenizer real() {
        if (real == null) {
            real = SentencePieceTokenizer.load(SharedData.chineseLlama2Tokenizer());
        }
        return real;
    }

    /** A generated 512-piece LLaMA-shaped SentencePiece model: runs everywhere. */
    static synchronized Tokenizer synthetic() {
        if (synthetic == null) {
            byte[] model = SentencePieceModelWriter.small().toByteArray();
            synthetic = SentencePieceTokenizer.of(SentencePieceModel.parse(model, "synthetic tokenizer.model"));
        }
        return synthetic;
    }

    static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    static int[] ids(int... ids) {
        return ids;
    }

    /** Indices at which {@code id} occurs. */
    static int[] positionsOf(int[] ids, int id) {
        return IntStream.range(0, ids.length).filter(i -> ids[i] == id).toArray();
    }
}
