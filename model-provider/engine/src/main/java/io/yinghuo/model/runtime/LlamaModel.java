package io.yinghuo.model.runtime;

import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.engine.Backend;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.rope.RopeSpec;
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
    private final ModelOptions options;

    private LlamaModel(Path directory, Tokenizer tokenizer, LlamaWeights weights, LoadedModel loaded,
                       int contextLength, ModelOptions options) {
        this.directory = directory;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.loaded = loaded;
        this.contextLength = contextLength;
        this.options = options;
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
            return new LlamaModel(directory, tokenizer, weights, loaded, ctx, options);
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

    /** The options the model was loaded with (serving: max sequences and KV budget). */
    public ModelOptions options() {
        return options;
    }

    /**
     * The longest sequence whose cached keys do not depend on its total length: max_position_embeddings with
     * length-dependent RoPE ({@code dynamic}, {@code ntk:auto} rotate a whole call for its length once past it), else
     * unbounded. Prefix reuse stays within it so that reused keys are those a fresh run computes.
     */
    public int ropeExactLimit() {
        RopeSpec spec = options.rope() != null ? options.rope() : RopeSpec.fromConfig(config().ropeScaling());
        boolean lengthDependent = spec.kind() == RopeSpec.Kind.DYNAMIC || spec.kind() == RopeSpec.Kind.NTK_AUTO;
        return lengthDependent ? config().maxPositionEmbeddings() : Integer.MAX_VALUE;
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
