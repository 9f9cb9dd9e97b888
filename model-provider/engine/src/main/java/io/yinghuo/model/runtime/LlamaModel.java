package io.yinghuo.model.runtime;

import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.engine.Backend;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.model.tokenizer.Tokenizer;
import io.yinghuo.model.weights.CheckpointLoader;
import io.yinghuo.model.weights.LlamaWeights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A model folder loaded and ready to run: config, tokenizer, mapped weights and the backend's prepared model.
 * Sessions share the weights; each holds its own KV cache.
 */
public final class LlamaModel implements AutoCloseable {

    public static final String TOKENIZER_FILE = "tokenizer.model";

    private final Path directory;
    private final Tokenizer tokenizer;
    private final LlamaWeights weights;
    private final LoadedModel loaded;
    private final int contextLength;

    private LlamaModel(Path directory, Tokenizer tokenizer, LlamaWeights weights, LoadedModel loaded,
                       int contextLength) {
        this.directory = directory;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.loaded = loaded;
        this.contextLength = contextLength;
    }

    public static LlamaModel load(Path directory, ModelOptions options) {
        return load(directory, options, System.err::println);
    }

    /** Loads {@code directory}; {@code log} receives one-line notes (which device, why). */
    public static LlamaModel load(Path directory, ModelOptions options, Consumer<String> log) {
        if (!Files.isDirectory(directory)) {
            throw new ModelLoadException("model folder " + directory + " does not exist or is not a folder");
        }
        Path tokenizerFile = directory.resolve(TOKENIZER_FILE);
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new ModelLoadException("model folder " + directory + " has no " + TOKENIZER_FILE);
        }
        Tokenizer tokenizer = SentencePieceTokenizer.load(tokenizerFile);
        Backend backend = BackendSelector.select(options.device(), log);
        LlamaWeights weights = CheckpointLoader.load(directory);
        try {
            LlamaConfig config = weights.config();
            if (tokenizer.vocabSize() > config.vocabSize()) {
                throw new ModelLoadException(tokenizerFile + " has " + tokenizer.vocabSize()
                        + " pieces but the model's vocab_size is " + config.vocabSize()
                        + ": the tokenizer does not belong to this model");
            }
            EngineOptions engine = EngineOptions.defaults().withThreads(options.threads()).withRope(options.rope());
            LoadedModel loaded = backend.load(weights, engine);
            int ctx = options.contextLength() > 0 ? options.contextLength() : config.maxPositionEmbeddings();
            return new LlamaModel(directory, tokenizer, weights, loaded, ctx);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    public LlamaConfig config() {
        return weights.config();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public LlamaWeights weights() {
        return weights;
    }

    public LoadedModel loaded() {
        return loaded;
    }

    /** Tokens a default session holds: the requested context or the model's max_position_embeddings. */
    public int contextLength() {
        return contextLength;
    }

    public InferenceSession newSession() {
        return loaded.newSession(contextLength);
    }

    public InferenceSession newSession(int capacity) {
        return loaded.newSession(capacity);
    }

    public String description() {
        return loaded.description();
    }

    @Override
    public void close() {
        try {
            loaded.close();
        } finally {
            weights.close();
        }
    }
}
