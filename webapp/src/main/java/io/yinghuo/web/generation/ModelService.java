package io.yinghuo.web.generation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.langchain4j.YinghuoStreamingChatModel;
import io.yinghuo.model.runtime.LlamaModel;
import io.yinghuo.model.runtime.ModelOptions;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.Json;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The generative model the server was started with, if any, and the queue in front of it.
 *
 * <p>One {@link LlamaModel} serves two LangChain4j chat models: {@link #chat()} with the folder's chat template
 * (questions, chat, {@code /v1/chat/completions}) and {@link #completion()} with the {@code raw} template (plain
 * continuation for {@code /v1/completions}). Both attach to the same instance, so they share its single worker and
 * KV cache and never run at the same time.
 */
public final class ModelService implements AutoCloseable {

    private final LlamaModel model;
    private final YinghuoStreamingChatModel chat;
    private final YinghuoStreamingChatModel completion;
    private final GenerationQueue queue;

    private ModelService(LlamaModel model, YinghuoStreamingChatModel chat, YinghuoStreamingChatModel completion,
                         GenerationQueue queue) {
        this.model = model;
        this.chat = chat;
        this.completion = completion;
        this.queue = queue;
    }

    /** No model: search and evidence-only answers still work; generation endpoints answer 503. */
    public static ModelService none(int maxQueued) {
        return new ModelService(null, null, null, new GenerationQueue(maxQueued));
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
            return new ModelService(model, chat, completion, new GenerationQueue(maxQueued));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public boolean loaded() {
        return model != null;
    }

    /**
     * The chat model.
     *
     * @throws ApiException 503 when the server runs without a model
     */
    public YinghuoStreamingChatModel chat() {
        if (chat == null) {
            throw noModel();
        }
        return chat;
    }

    /** The plain-completion model (raw template). */
    public YinghuoStreamingChatModel completion() {
        if (completion == null) {
            throw noModel();
        }
        return completion;
    }

    public GenerationQueue queue() {
        return queue;
    }

    /** The model's name as the OpenAI API reports it (the folder name), or null. */
    public String name() {
        return chat == null ? null : chat.defaultRequestParameters().modelName();
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

    @Override
    public void close() {
        if (chat != null) {
            chat.close();
            completion.close();
            model.close();
        }
    }
}
