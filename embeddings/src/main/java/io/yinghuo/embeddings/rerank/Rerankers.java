package io.yinghuo.embeddings.rerank;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Opens a reranker given as a folder ({@code --reranker DIR}): a cross-encoder exported to ONNX the way the
 * HuggingFace ONNX exports of BAAI/bge-reranker-base, bge-reranker-v2-m3 and similar BERT / XLM-RoBERTa
 * cross-encoders are laid out — {@code model.onnx} (or {@code onnx/model.onnx}, with its {@code .onnx_data} beside
 * it for models over 2 GB) and {@code tokenizer.json}.
 */
public final class Rerankers {

    /** Where a model file is looked for in the folder, in this order. */
    static final String[] MODEL_FILES = {"model.onnx", "onnx/model.onnx"};
    static final String[] TOKENIZER_FILES = {"tokenizer.json", "onnx/tokenizer.json"};

    private Rerankers() {
    }

    /**
     * The cross-encoder in {@code folder}, loaded now (a few seconds for bge-reranker-base); close it when done.
     *
     * @throws RerankerLoadException with a message for the user when the folder is missing, is a file, lacks
     *                               {@code model.onnx} or {@code tokenizer.json}, or holds a model ONNX Runtime
     *                               cannot load or that is not a cross-encoder
     */
    public static OnnxCrossEncoder fromFolder(Path folder) {
        Objects.requireNonNull(folder, "folder");
        if (!Files.exists(folder)) {
            throw new RerankerLoadException("reranker folder not found: " + folder + " (找不到重排序模型文件夹)");
        }
        if (!Files.isDirectory(folder)) {
            throw new RerankerLoadException("the reranker must be a folder holding model.onnx and tokenizer.json, but "
                    + folder + " is a file (重排序模型应为包含 model.onnx 和 tokenizer.json 的文件夹)");
        }
        Path model = find(folder, MODEL_FILES);
        if (model == null) {
            throw new RerankerLoadException("no model.onnx (nor onnx/model.onnx) in the reranker folder " + folder
                    + ": give the folder of a cross-encoder exported to ONNX, e.g. BAAI/bge-reranker-base with"
                    + " `optimum-cli export onnx --model BAAI/bge-reranker-base --task text-classification DIR`"
                    + " (重排序模型文件夹中没有 model.onnx)");
        }
        Path tokenizer = find(folder, TOKENIZER_FILES);
        if (tokenizer == null) {
            throw new RerankerLoadException("no tokenizer.json in the reranker folder " + folder + ": the model's"
                    + " HuggingFace tokenizer must be beside it (重排序模型文件夹中没有 tokenizer.json)");
        }
        return OnnxCrossEncoder.load(model, tokenizer);
    }

    private static Path find(Path folder, String[] names) {
        for (String name : names) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }
}
