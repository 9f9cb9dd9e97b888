package io.yinghuo.model.langchain4j;

import io.yinghuo.model.runtime.LlamaModel;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.synth.Shape;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A synthesized tiny GPTQ checkpoint with the small test tokenizer, in a folder whose name makes template detection
 * choose {@code alpaca2}. Random weights: the answers are arbitrary text, but deterministic for greedy decoding.
 */
final class TinyChatModel {

    static final String FOLDER = "Chinese-Alpaca-2-tiny-GPTQ";

    private TinyChatModel() {
    }

    static Path write(Path parent) {
        Path dir = parent.resolve(FOLDER);
        try {
            Files.createDirectories(dir);
            CheckpointSynthesizer.builder().shape(Shape.TINY).bits(4).groupSize(32).actOrder(true).sym(false).seed(11)
                    .build().write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SentencePieceModelWriter.small().write(dir.resolve(LlamaModel.TOKENIZER_FILE));
        return dir;
    }
}
