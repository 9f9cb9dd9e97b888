package io.yinghuo.cli;

import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import io.yinghuo.embeddings.rerank.OnnxCrossEncoder;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import io.yinghuo.model.langchain4j.YinghuoStreamingChatModel;
import io.yinghuo.model.langchain4j.YinghuoTokenCountEstimator;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.retrieval.rag.QaServiceBuilder;
import io.yinghuo.web.ask.EstimatedTokens;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The model and budget options of {@code ask} and {@code eval-qa}, and the wiring of the real model into a
 * {@link io.yinghuo.retrieval.rag.QaService}: the streaming provider answers, its own tokenizer and chat template count the budget. Without
 * {@code --model}, the budget is counted with {@code --tokenizer} (a SentencePiece tokenizer.model, no weights) or,
 * failing that, with the ingest chunker's character-class estimate.
 */
final class QaModelOptions {

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model folder. Without it, ask answers with the best passages, marked as such.")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Without --model: count the context budget with this tokenizer.model.")
    Path tokenizer;

    @Option(names = "--template", paramLabel = "raw|alpaca2|llama2-chat|firefly",
            description = "Prompt template (default: recognised from the model folder; alpaca2 without a model).")
    String template;

    @Option(names = "--ctx", paramLabel = "N",
            description = "Context length in tokens (default: the model's max_position_embeddings, 4096 without a"
                    + " model; e.g. 16384 with --rope linear:4).")
    Integer ctx;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "512",
            description = "Most tokens per answer, kept free in the context (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "0 = greedy (default: the model family's).")
    Double temperature;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for reproducible sampling.")
    Long seed;

    @Option(names = "--min-coverage", paramLabel = "X", defaultValue = "0.35",
            description = "Relevance floor: the least share of a question part's key words a passage must contain"
                    + " (0 keeps every BM25 hit; default ${DEFAULT-VALUE}).")
    double minCoverage;

    @Option(names = "--reranker", paramLabel = "DIR", description = RerankerChoice.OPTION_DESCRIPTION)
    Path reranker;

    private OnnxCrossEncoder loadedReranker;

    @Mixin
    ModelOptionsMixin modelOptions;

    static final int DEFAULT_CONTEXT = 4096;

    /** The streaming model, or null without --model. */
    YinghuoStreamingChatModel loadModel(PrintStream err, String command) {
        if (model == null) {
            return null;
        }
        return YinghuoStreamingChatModel.builder()
                .modelPath(model)
                .device(modelOptions.toOptions(0).device())
                .threads(modelOptions.threads)
                .ropeScaling(modelOptions.toOptions(0).rope())
                .contextLength(ctx)
                .chatTemplate(template)
                .log(line -> err.println(command + ": " + StartupNoise.logLine(line)))
                .build();
    }

    /**
     * The cross-encoder of {@code --reranker}, loaded at the first call (null without the option); the command
     * closes it.
     *
     * @throws OptionValueException when the folder cannot be used
     */
    OnnxCrossEncoder reranker() {
        if (loadedReranker == null && reranker != null) {
            loadedReranker = RerankerChoice.load(reranker);
        }
        return loadedReranker;
    }

    /**
     * A service over {@code builder}'s index with the model (or none), the reranker (or none) and a budget counted
     * as the model counts.
     */
    QaServiceBuilder configure(QaServiceBuilder builder, YinghuoStreamingChatModel chat) {
        builder.minCoverage(minCoverage).scoringModel(reranker());
        if (chat != null) {
            if (maxTokens >= chat.contextLength()) {
                throw new IllegalArgumentException("--max-tokens " + maxTokens + " leaves no room in a context of "
                        + chat.contextLength() + " tokens");
            }
            return builder.chatModel(chat).tokenCountEstimator(chat.tokenCountEstimator())
                    .contextTokens(chat.contextLength()).answerTokens(maxTokens);
        }
        int context = ctx != null ? ctx : DEFAULT_CONTEXT;
        if (maxTokens >= context) {
            throw new IllegalArgumentException("--max-tokens " + maxTokens + " leaves no room in a context of "
                    + context + " tokens");
        }
        return builder.tokenCountEstimator(estimatorWithoutModel()).contextTokens(context).answerTokens(maxTokens);
    }

    private TokenCountEstimator estimatorWithoutModel() {
        String name = template != null ? template : "alpaca2";
        if (tokenizer != null) {
            return new YinghuoTokenCountEstimator(SentencePieceTokenizer.load(tokenizer), ChatTemplates.byName(name));
        }
        return new EstimatedTokens();
    }

    /** Sampling for each request: the answer room, and temperature/seed when given. */
    ChatRequestParameters parameters() {
        YinghuoChatRequestParameters.Builder b = YinghuoChatRequestParameters.builder().maxOutputTokens(maxTokens);
        if (temperature != null) {
            b.temperature(temperature);
        }
        if (seed != null) {
            b.seed(seed);
        }
        return b.build();
    }
}
