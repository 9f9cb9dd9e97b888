package io.yinghuo.cli;

import io.yinghuo.embeddings.rerank.OnnxCrossEncoder;
import io.yinghuo.embeddings.rerank.RerankerLoadException;
import io.yinghuo.embeddings.rerank.Rerankers;

import java.nio.file.Path;

/**
 * The reranker of {@code serve}, {@code ask} and {@code eval-qa}: none by default; with {@code --reranker DIR} the
 * ONNX cross-encoder in DIR ({@link Rerankers#fromFolder}), loaded before anything else so that a bad folder is
 * reported at once.
 */
final class RerankerChoice {

    static final String OPTION_DESCRIPTION = "Rerank each question part's passages with this cross-encoder: a folder"
            + " with model.onnx (or onnx/model.onnx) and tokenizer.json, e.g. BAAI/bge-reranker-base exported to"
            + " ONNX. Default: no reranker.";

    private RerankerChoice() {
    }

    /**
     * The reranker in {@code folder}, or null without one; the caller closes it.
     *
     * @throws OptionValueException when the folder cannot be used (exit code 2, one line)
     */
    static OnnxCrossEncoder load(Path folder) {
        if (folder == null) {
            return null;
        }
        try {
            return Rerankers.fromFolder(folder);
        } catch (RerankerLoadException e) {
            throw new OptionValueException("--reranker: " + e.getMessage(), e);
        }
    }
}
