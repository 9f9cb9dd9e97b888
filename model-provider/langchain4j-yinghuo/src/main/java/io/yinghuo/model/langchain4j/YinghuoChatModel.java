package io.yinghuo.model.langchain4j;

import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.spi.ServiceHelper;
import io.yinghuo.model.generate.CancellationToken;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.TextStreamListener;
import io.yinghuo.model.langchain4j.spi.YinghuoChatModelBuilderFactory;
import io.yinghuo.model.runtime.ModelWorker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A LangChain4j {@link ChatModel} over a local GPTQ LLaMA-2 chat model (Chinese-Alpaca-2, Firefly, Llama-2-chat).
 *
 * <pre>{@code
 * ChatModel model = YinghuoChatModel.builder()
 *         .modelPath(Path.of("models/Chinese-Alpaca-2-7B-GPTQ"))
 *         .device("auto")
 *         .build();
 * String answer = model.chat("中国的首都是哪里？");
 * }</pre>
 *
 * <p>{@link #doChat} queues the request on the model's worker thread (one generation at a time, first come first
 * served; see {@link io.yinghuo.model.runtime.ModelWorker}) and blocks until the answer is complete. Interrupting the
 * waiting thread cancels the generation (after the running forward pass) and throws. Listeners, default parameters
 * and per-request overrides work through LangChain4j's {@code chat} template method. Calling it from a streaming
 * callback of a model on the same weights (which runs on the worker thread) is refused with
 * {@link IllegalStateException} instead of deadlocking.
 */
public class YinghuoChatModel extends YinghuoBaseChatModel implements ChatModel {

    public YinghuoChatModel(YinghuoChatModelBuilder builder) {
        super(builder);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        ModelWorker worker = worker();
        if (worker.isWorkerThread()) {
            throw new IllegalStateException("a blocking chat was called from a streaming callback, on the model's"
                    + " worker thread: it would wait for itself forever; hand the call to another thread or use the"
                    + " streaming model");
        }
        PreparedChat prepared = prepare(request, checkSupported(request));
        CancellationToken cancellation = new CancellationToken();
        CompletableFuture<GenerationResult> future = submit(worker, prepared, TextStreamListener.NONE, cancellation);
        try {
            return toResponse(future.get(), prepared);
        } catch (InterruptedException e) {
            cancellation.cancel();
            Thread.currentThread().interrupt();
            throw new LangChain4jException("interrupted while waiting for the answer; the generation was cancelled",
                    e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new LangChain4jException(cause);
        }
    }

    /** A builder from the first {@link YinghuoChatModelBuilderFactory} found through SPI, else the plain one. */
    public static YinghuoChatModelBuilder builder() {
        for (YinghuoChatModelBuilderFactory factory : ServiceHelper.loadFactories(YinghuoChatModelBuilderFactory.class)) {
            return factory.get();
        }
        return new YinghuoChatModelBuilder();
    }

    public static class YinghuoChatModelBuilder extends Builder<YinghuoChatModel, YinghuoChatModelBuilder> {

        // This is public so it can be extended.
        public YinghuoChatModelBuilder() {
        }

        @Override
        public YinghuoChatModel build() {
            return new YinghuoChatModel(this);
        }
    }
}
