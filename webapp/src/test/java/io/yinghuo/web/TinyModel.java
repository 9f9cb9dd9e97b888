package io.yinghuo.web;

import io.yinghuo.cli.Main;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.runtime.ModelOptions;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.web.generation.ModelService;

import java.nio.file.Files;
import java.nio.file.Path;

/** A synthesized tiny checkpoint (random weights, small tokenizer) for tests that need a model to generate. */
final class TinyModel {

    static final int CONTEXT = 2048;

    private TinyModel() {
    }

    /** Writes the checkpoint into {@code dir}/tiny once and returns its folder. */
    static synchronized Path folder(Path dir) {
        Path model = dir.resolve("tiny");
        if (Files.isDirectory(model)) {
            return model;
        }
        Path tokenizer = SentencePieceModelWriter.small().write(dir.resolve("tokenizer.model"));
        int code = Main.run("synth-model", "--shape", "tiny", "--tokenizer", tokenizer.toString(), "--out",
                model.toString());
        if (code != 0) {
            throw new AssertionError("synth-model failed with exit code " + code);
        }
        return model;
    }

    static ModelService load(Path dir) {
        return ModelService.load(folder(dir), new ModelOptions(DeviceSpec.parse("cpu"), 1, null, CONTEXT), "alpaca2",
                64, line -> { });
    }
}
