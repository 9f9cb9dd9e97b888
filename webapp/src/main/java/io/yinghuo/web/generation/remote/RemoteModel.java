package io.yinghuo.web.generation.remote;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.catalog.ModelDescription;
import dev.langchain4j.model.openai.OpenAiModelCatalog;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.yinghuo.web.Json;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The model of {@code serve --model-url}: one or more OpenAI-compatible servers behind a
 * {@link RemoteStreamingChatModel}, with what the RAG pipeline needs to pack a prompt for them (a context length
 * and a token count estimator).
 */
public final class RemoteModel implements AutoCloseable {

    /**
     * How {@code serve} configures a remote model.
     *
     * @param urls               server base URLs; one without a path gets {@code /v1}
     * @param modelName          the model name to send; null: the first one the servers list
     * @param apiKey             sent as {@code Authorization: Bearer}; null: none
     * @param timeout            connecting, waiting for the response, and the longest silence between tokens
     * @param downFor            how long an endpoint that failed is skipped before it is probed again
     * @param contextLength      the model's context length in tokens
     * @param maxOutputTokens    the default answer length
     * @param tokens             token counts for packing prompts
     * @param tokenCounting      how {@code tokens} counts, for {@code /api/model}
     */
    public record Config(List<String> urls, String modelName, String apiKey, Duration timeout, Duration downFor,
                         int contextLength, int maxOutputTokens, TokenCountEstimator tokens, String tokenCounting) {
    }

    private final Config config;
    private final String modelName;
    private final RemoteStreamingChatModel chat;

    private RemoteModel(Config config, String modelName, RemoteStreamingChatModel chat) {
        this.config = config;
        this.modelName = modelName;
        this.chat = chat;
    }

    /** Builds the clients; asks the servers for the model's name when none is given (none: the log says so). */
    public static RemoteModel connect(Config config, Consumer<String> log) {
        List<String> urls = config.urls().stream().map(RemoteModel::baseUrl).toList();
        String name = config.modelName() != null ? config.modelName() : discoverName(urls, config, log);
        List<RemoteEndpoint> endpoints = new ArrayList<>();
        for (String url : urls) {
            OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder client = OpenAiStreamingChatModel.builder()
                    .baseUrl(url).modelName(name).timeout(config.timeout());
            if (config.apiKey() != null) {
                client.apiKey(config.apiKey());
            }
            endpoints.add(new RemoteEndpoint(url, client.build(), config.downFor().toMillis()));
        }
        TokenCountEstimator tokens = config.tokens();
        RemoteStreamingChatModel chat = new RemoteStreamingChatModel(endpoints, name, config.timeout().toMillis(),
                tokens instanceof CalibratedTokenEstimate calibrated
                        ? (request, response) -> calibrated.observe(request.messages(),
                        response.tokenUsage() == null ? null : response.tokenUsage().inputTokenCount())
                        : null);
        return new RemoteModel(config, name, chat);
    }

    /**
     * The OpenAI base URL of a server address: {@code http://host:8000} and {@code http://host:8000/} become
     * {@code http://host:8000/v1} (where vLLM, TGI, llama.cpp and {@code serve} answer); a URL with a path is taken
     * as given (a proxy's prefix, say).
     */
    static String baseUrl(String url) {
        URI uri = URI.create(url.strip());
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        return path.isEmpty() ? s + "/v1" : s;
    }

    private static String discoverName(List<String> urls, Config config, Consumer<String> log) {
        // a hung server must not hold up start-up for long: the shorter of the timeout and 10 s
        Duration wait = config.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? config.timeout()
                : Duration.ofSeconds(10);
        for (String url : urls) {
            try {
                OpenAiModelCatalog.Builder catalog = OpenAiModelCatalog.builder().baseUrl(url)
                        .connectTimeout(wait).readTimeout(wait);
                if (config.apiKey() != null) {
                    catalog.apiKey(config.apiKey());
                }
                List<ModelDescription> models = catalog.build().listModels();
                if (!models.isEmpty()) {
                    String name = models.get(0).name();
                    log.accept("remote model " + name + " (listed by " + url + "/models)");
                    return name;
                }
            } catch (RuntimeException e) {
                log.accept("cannot list the models of " + url + " (" + RemoteFailures.describe(e) + ")");
            }
        }
        log.accept("no model name given (--model-name) or listed: requests name no model");
        return null;
    }

    public RemoteStreamingChatModel chat() {
        return chat;
    }

    /** The name sent to the servers, or null. */
    public String modelName() {
        return modelName;
    }

    public int contextLength() {
        return config.contextLength();
    }

    public int maxOutputTokens() {
        return config.maxOutputTokens();
    }

    public TokenCountEstimator tokenCountEstimator() {
        return config.tokens();
    }

    /** The endpoints and their state, for {@code /api/model} and {@code /api/health}. */
    public ArrayNode endpointsJson() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (RemoteEndpoint e : chat.endpoints()) {
            list.add(e.json());
        }
        return list;
    }

    /** How prompts are counted: the tokenizer, or the estimate and its current calibration. */
    public ObjectNode tokenCountingJson() {
        ObjectNode t = Json.object();
        t.put("method", config.tokenCounting());
        if (config.tokens() instanceof CalibratedTokenEstimate calibrated) {
            t.put("factor", Math.round(calibrated.factor() * 1000) / 1000.0);
            t.put("calibrated_from_answers", calibrated.observations());
        }
        return t;
    }

    /** How many endpoints are up or may be probed. */
    public long availableEndpoints() {
        return chat.endpoints().stream().filter(RemoteEndpoint::available).count();
    }

    @Override
    public void close() {
        chat.close();
    }
}
