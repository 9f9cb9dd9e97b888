package io.yinghuo.web.generation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.yinghuo.model.langchain4j.YinghuoStreamingChatModel;
import io.yinghuo.model.runtime.LlamaModel;
import io.yinghuo.model.runtime.ModelLease;
import io.yinghuo.model.runtime.ModelOptions;
import io.yinghuo.model.runtime.ModelRegistry;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.Json;
import io.yinghuo.web.generation.remote.RemoteModel;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The generative model the server was started with, if any, and the queue in front of it.
 *
 * <p>Local: one {@link LlamaModel} serves two LangChain4j chat models: {@link #chat()} with the folder's chat
 * template (questions, chat, {@code /v1/chat/completions}) and {@link #completion()} with the {@code raw} template
 * (plain continuation for {@code /v1/completions}). Both attach to the same instance, so they share its single worker
 * and KV cache and never run at the same time.
 *
 * <p>Remote ({@link #remote}): OpenAI-compatible servers behind a {@link RemoteModel}; {@link #streamingChat()},
 * {@link #contextLength()} and {@link #tokenCountEstimator()} answer for either kind, {@link #chat()} and
 * {@link #completion()} only for the local model (they expose its tokenizer and template).
 */
public final class ModelService implements AutoCloseable {

    private final LlamaModel model;
    private final YinghuoStreamingChatModel chat;
    private final YinghuoStreamingChatModel completion;
    private final GenerationQueue queue;
    private final RemoteModel remote;

    private ModelService(LlamaModel model, YinghuoStreamingChatModel chat, YinghuoStreamingChatModel completion,
                         GenerationQueue queue, RemoteModel remote) {
        this.model = model;
        this.chat = chat;
        this.completion = completion;
        this.queue = queue;
        this.remote = remote;
    }

    /**
     * Remote OpenAI-compatible servers as the model.
     *
     * @param maxRunning generations sent to the servers at once (the rest wait in the queue, as with a local model)
     */
    public static ModelService remote(RemoteModel remote, int maxQueued, int maxRunning) {
        return new ModelService(null, null, null, new GenerationQueue(maxQueued, maxRunning), remote);
    }

    /** No model: search and evidence-only answers still work; generation endpoints answer 503. */
    public static ModelService none(int maxQueued) {
        return new ModelService(null, null, null, new GenerationQueue(maxQueued), null);
    }

    /**
     * Loads a model folder.
     *
     * @param chatTemplate template name, or null to recognise it from the folder
     */
    public static ModelService load(Path folder, ModelOptions options, String chatTemplate, int maxQueued,
                                    Consumer<String> log) {
        LlamaModel model = LlamaModel.load(folder, options, log);
        try {
            YinghuoStreamingChatModel chat = YinghuoStreamingChatModel.builder().model(model)
                    .chatTemplate(chatTemplate).log(log).build();
            YinghuoStreamingChatModel completion = YinghuoStreamingChatModel.builder().model(model)
                    .chatTemplate("raw").modelName(String.valueOf(folder.getFileName())).log(log).build();
            // the queue lets through as many generations as the model's worker decodes together (its KV slots)
            int slots;
            try (ModelLease lease = ModelRegistry.attach(model)) {
                slots = lease.worker().slots();
            }
            return new ModelService(model, chat, completion, new GenerationQueue(maxQueued, slots), null);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Whether answers can be generated (a local or a remote model). */
    public boolean loaded() {
        return model != null || remote != null;
    }

    public boolean isRemote() {
        return remote != null;
    }

    /**
     * The local chat model.
     *
     * @throws ApiException 503 when the server runs without a model, 501 with a remote one (use
     *                      {@link #streamingChat()})
     */
    public YinghuoStreamingChatModel chat() {
        if (chat == null) {
            throw remote != null ? localOnly("/v1 needs ModelService.streamingChat() for a remote model") : noModel();
        }
        return chat;
    }

    /** The local plain-completion model (raw template). */
    public YinghuoStreamingChatModel completion() {
        if (completion == null) {
            throw remote != null ? completionsUnsupported() : noModel();
        }
        return completion;
    }

    /**
     * The chat model, local or remote: what questions, chat and {@code /v1/chat/completions} generate with.
     *
     * @throws ApiException 503 when the server runs without a model
     */
    public StreamingChatModel streamingChat() {
        if (remote != null) {
            return remote.chat();
        }
        return chat();
    }

    /**
     * The plain-completion model for {@code /v1/completions}: local only, since a remote chat server applies its
     * own chat template to every message and {@code /v1/completions} promises plain continuation.
     *
     * @throws ApiException 501 with a remote model, 503 without a model
     */
    public StreamingChatModel streamingCompletion() {
        return completion();
    }

    /**
     * Before a response starts: refuses with 503 (and {@code Retry-After}) when every remote server is known to be
     * down; nothing for a local model.
     */
    public void checkAvailable() {
        if (remote != null) {
            try {
                remote.chat().checkAvailable();
            } catch (RuntimeException e) {
                throw QueuedGeneration.translate(e);
            }
        }
    }

    /** The context length in tokens: the local model's, or {@code --ctx} for a remote one. */
    public int contextLength() {
        return remote != null ? remote.contextLength() : chat().contextLength();
    }

    /** How prompts are counted against {@link #contextLength()}. */
    public TokenCountEstimator tokenCountEstimator() {
        return remote != null ? remote.tokenCountEstimator() : chat().tokenCountEstimator();
    }

    /** The default answer length in tokens. */
    public int defaultMaxOutputTokens() {
        return remote != null ? remote.maxOutputTokens() : chat().defaultRequestParameters().maxOutputTokens();
    }

    public GenerationQueue queue() {
        return queue;
    }

    /**
     * The model's name as the OpenAI API reports it: the folder name, the remote model's name (or "remote" when the
     * servers were not asked for one by name), or null.
     */
    public String name() {
        if (remote != null) {
            return remote.modelName() != null ? remote.modelName() : "remote";
        }
        return chat == null ? null : chat.defaultRequestParameters().modelName();
    }

    /** What {@code GET /api/health} says of the model beyond {@code model_loaded}: null for a local model or none. */
    public ObjectNode remoteHealth() {
        if (remote == null) {
            return null;
        }
        ObjectNode h = Json.object();
        h.put("name", name());
        h.put("endpoints_available", remote.availableEndpoints());
        h.set("endpoints", remote.endpointsJson());
        return h;
    }

    /** What {@code GET /api/model} answers. */
    public ObjectNode info() {
        ObjectNode info = Json.object();
        info.put("loaded", loaded());
        if (!loaded()) {
            info.put("message", "no model loaded: answers quote the most relevant passages; start the server with"
                    + " --model DIR to generate answers");
            return info;
        }
        info.put("name", name());
        if (remote != null) {
            info.put("remote", true);
            info.put("description", "remote OpenAI-compatible server" + (remote.endpointsJson().size() > 1
                    ? "s (" + remote.endpointsJson().size() + ", least outstanding requests)" : ""));
            info.put("context_length", remote.contextLength());
            info.set("token_counting", remote.tokenCountingJson());
            info.putObject("defaults").put("max_tokens", remote.maxOutputTokens());
            info.set("endpoints", remote.endpointsJson());
            info.put("queued", queue.waiting());
            info.put("running", queue.running());
            info.put("busy", queue.busy());
            return info;
        }
        info.put("remote", false);
        info.put("description", model.description());
        info.put("directory", model.directory().toString());
        info.put("chat_template", chat.chatTemplate().name());
        info.put("context_length", chat.contextLength());
        var defaults = chat.defaultRequestParameters();
        ObjectNode d = info.putObject("defaults");
        d.put("temperature", defaults.temperature());
        d.put("top_p", defaults.topP());
        d.put("top_k", defaults.topK());
        d.put("max_tokens", defaults.maxOutputTokens());
        d.put("repetition_penalty", defaults.repetitionPenalty());
        info.put("queued", queue.waiting());
        info.put("busy", queue.busy());
        return info;
    }

    private static ApiException noModel() {
        return ApiException.unavailable("model_not_loaded", "no model is loaded: start the server with --model DIR"
                + " to generate text (search and evidence-only answers work without one)")
                .localized("error.model_not_loaded");
    }

    private static ApiException localOnly(String what) {
        return new ApiException(501, "server_error", "local_model_only", null, what);
    }

    private static ApiException completionsUnsupported() {
        return new ApiException(501, "invalid_request_error", "unsupported", null, "/v1/completions is not"
                + " available with a remote model; use /v1/chat/completions")
                .localized("error.remote_completions_unsupported");
    }

    @Override
    public void close() {
        if (remote != null) {
            remote.close();
        }
        if (chat != null) {
            chat.close();
            completion.close();
            model.close();
        }
    }
}
