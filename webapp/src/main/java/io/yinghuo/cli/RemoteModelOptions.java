package io.yinghuo.cli;

import dev.langchain4j.model.TokenCountEstimator;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.langchain4j.YinghuoTokenCountEstimator;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.web.ask.EstimatedTokens;
import io.yinghuo.web.generation.ModelService;
import io.yinghuo.web.generation.remote.CalibratedTokenEstimate;
import io.yinghuo.web.generation.remote.RemoteModel;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code serve --model-url URL...}: remote OpenAI-compatible servers as the model, and how prompts for them are
 * counted: with our tokenizer when {@code --model DIR} (tokenizer and template only, no weights loaded) or
 * {@code --tokenizer FILE} is given, else with the character-class estimate calibrated by the servers' reported
 * usage.
 */
final class RemoteModelOptions {

    /** The context length assumed for a remote model without {@code --ctx}: LLaMA-2's. */
    static final int DEFAULT_CONTEXT = 4096;
    /** The default answer length for a remote model, as {@code ask} uses. */
    static final int DEFAULT_MAX_TOKENS = 512;

    @Option(names = "--model-url", paramLabel = "URL",
            description = "An OpenAI-compatible server to generate with (vLLM, TGI, llama.cpp's server, another"
                    + " yinghuo serve), e.g. http://gpu1:8000/v1 (a URL without a path gets /v1). Repeat for several:"
                    + " requests go to the one with the fewest in flight, and one that fails is skipped for"
                    + " --model-retry-seconds.")
    List<String> urls;

    @Option(names = "--model-name", paramLabel = "NAME",
            description = "The model name to send (default: the first one the servers list under /v1/models).")
    String name;

    @Option(names = "--model-api-key", paramLabel = "KEY",
            description = "Key for the model servers (default: the environment variable YINGHUO_MODEL_API_KEY).")
    String apiKey;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "With --model-url: count prompt tokens with this tokenizer.model (as --model DIR does).")
    Path tokenizer;

    @Option(names = "--model-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "With --model-url: longest wait for a server to connect, answer or send the next token."
                    + " Default: ${DEFAULT-VALUE}")
    int timeoutSeconds;

    @Option(names = "--model-retry-seconds", paramLabel = "N", defaultValue = "10",
            description = "With --model-url: how long a server that failed is skipped before it is tried again."
                    + " Default: ${DEFAULT-VALUE}")
    int retrySeconds;

    @Option(names = "--model-parallel", paramLabel = "N",
            description = "With --model-url: generations sent to the servers at once; more wait in the queue."
                    + " Default: 4 per URL.")
    Integer parallel;

    boolean given() {
        return urls != null && !urls.isEmpty();
    }

    /**
     * @param modelFolder {@code --model DIR}: its tokenizer and chat template count the tokens (null: none)
     * @param template    {@code --template}, for the framing that the token counts include (null: recognised or
     *                    alpaca2)
     * @param ctx         {@code --ctx} (null: {@value #DEFAULT_CONTEXT})
     */
    ModelService connect(Path modelFolder, String template, Integer ctx, int maxQueued, Consumer<String> log) {
        if (timeoutSeconds < 1 || retrySeconds < 1 || (parallel != null && parallel < 1)) {
            throw new IllegalArgumentException("--model-timeout, --model-retry-seconds and --model-parallel must be"
                    + " at least 1");
        }
        int context = ctx != null ? ctx : DEFAULT_CONTEXT;
        if (context <= DEFAULT_MAX_TOKENS) {
            throw new IllegalArgumentException("--ctx " + context + " leaves no room for a prompt beside an answer of "
                    + DEFAULT_MAX_TOKENS + " tokens");
        }
        String key = apiKey != null ? apiKey : System.getenv("YINGHUO_MODEL_API_KEY");
        TokenCountEstimator tokens;
        String counting;
        if (modelFolder != null) {
            tokens = template == null ? YinghuoTokenCountEstimator.forModelFolder(modelFolder)
                    : new YinghuoTokenCountEstimator(
                            SentencePieceTokenizer.load(modelFolder.resolve("tokenizer.model")),
                            ChatTemplates.byName(template));
            counting = "tokenizer of " + modelFolder;
        } else if (tokenizer != null) {
            tokens = new YinghuoTokenCountEstimator(SentencePieceTokenizer.load(tokenizer),
                    ChatTemplates.byName(template != null ? template : "alpaca2"));
            counting = "tokenizer " + tokenizer;
        } else {
            tokens = new CalibratedTokenEstimate(new EstimatedTokens());
            counting = "estimate (character classes, scaled by the servers' reported prompt tokens)";
        }
        RemoteModel remote = RemoteModel.connect(new RemoteModel.Config(urls, name, key,
                Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(retrySeconds), context, DEFAULT_MAX_TOKENS,
                tokens, counting), log);
        int running = parallel != null ? parallel : 4 * urls.size();
        return ModelService.remote(remote, maxQueued, running);
    }
}
