package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The chat models LangChain4j's contract suites run against: a synthesized tiny checkpoint (random weights, greedy
 * decoding, CPU), or the trained model folder given with {@code -Dyinghuo.it.model=DIR}.
 *
 * <p>JUnit closes {@code AutoCloseable} arguments of parameterized tests after each invocation, so the suites get
 * a fresh chat model per test; all of them share the weights loaded once for the {@link #anchor} (see
 * {@link YinghuoBaseChatModel} on sharing), which lives until {@link #close()}. Every model built here is closed
 * then too, so no test leaves a lease behind.
 */
final class ContractModels implements AutoCloseable {

    static final String MODEL_PROPERTY = "yinghuo.it.model";

    private final Path trained;
    private final Path folder;
    private final List<YinghuoBaseChatModel> built = new CopyOnWriteArrayList<>();
    private final YinghuoChatModel anchor;

    ContractModels(Path tempDir) {
        this.trained = trainedModel();
        this.folder = trained != null ? trained : TinyChatModel.write(tempDir);
        this.anchor = chat(YinghuoChatRequestParameters.EMPTY);
    }

    /** The trained model folder given with {@code -Dyinghuo.it.model}, or null. */
    static Path trainedModel() {
        String dir = System.getProperty(MODEL_PROPERTY);
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /** The name the models report: the folder's. */
    String modelName() {
        return folder.getFileName().toString();
    }

    /**
     * The suites' defaults: greedy, so that answers are reproducible; a short answer on random weights (they never
     * end by themselves), enough for "Berlin" on a trained model.
     */
    YinghuoChatRequestParameters defaults() {
        return YinghuoChatRequestParameters.builder().temperature(0.0).maxOutputTokens(trained != null ? 128 : 24)
                .build();
    }

    YinghuoChatModel chat(ChatRequestParameters parameters, ChatModelListener... listeners) {
        return track(configure(YinghuoChatModel.builder()).defaultRequestParameters(defaults().overrideWith(parameters))
                .listeners(listeners).build());
    }

    YinghuoStreamingChatModel streaming(ChatRequestParameters parameters, ChatModelListener... listeners) {
        return track(configure(YinghuoStreamingChatModel.builder())
                .defaultRequestParameters(defaults().overrideWith(parameters)).listeners(listeners).build());
    }

    /** A chat model that refuses every request: its default system prompt alone overflows the context. */
    YinghuoChatModel failingChat(ChatModelListener listener) {
        return track(configure(YinghuoChatModel.builder()).systemPrompt(overflowingSystemPrompt())
                .listeners(listener).build());
    }

    YinghuoStreamingChatModel failingStreaming(ChatModelListener listener) {
        return track(configure(YinghuoStreamingChatModel.builder()).systemPrompt(overflowingSystemPrompt())
                .listeners(listener).build());
    }

    private String overflowingSystemPrompt() {
        return "hello world ".repeat(anchor.contextLength());
    }

    private <B extends YinghuoBaseChatModel.Builder<?, B>> B configure(B builder) {
        if (trained == null) {
            builder.device("cpu").threads(1).contextLength(1024); // room for tool descriptions and schemas
        }
        return builder.modelPath(folder).log(line -> { });
    }

    private <M extends YinghuoBaseChatModel> M track(M model) {
        built.add(model);
        return model;
    }

    @Override
    public void close() {
        built.forEach(YinghuoBaseChatModel::close);
    }
}
