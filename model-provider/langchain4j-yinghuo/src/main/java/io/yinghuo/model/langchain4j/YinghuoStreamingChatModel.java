package io.yinghuo.model.langchain4j;

import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.spi.ServiceHelper;
import io.yinghuo.model.langchain4j.spi.YinghuoStreamingChatModelBuilderFactory;

import java.util.List;

/**
 * A LangChain4j {@link StreamingChatModel} over a local GPTQ LLaMA-2 chat model.
 *
 * <p>Threads: {@link #doChat} validates the request and builds the prompt on the caller's thread, queues the
 * generation on the model's worker thread and returns without waiting. A feature this provider does not support
 * (tools, JSON response formats, images, another model name, OpenAI's penalties) is thrown straight out of
 * {@code chat} as {@link UnsupportedFeatureException}, as LangChain4j's providers do: it is a programming error, not
 * an outcome of the call. Everything else that goes wrong, a prompt too long for the context included
 * ({@link ContextLengthExceededException}), goes to {@code onError}, at once on the caller's thread when found there.
 * Every callback ({@code onPartialResponse}, {@code onCompleteResponse}, {@code onError}) then runs on that worker
 * thread, one model's requests one after another in arrival order; a handler that blocks holds up the requests
 * queued behind it.
 *
 * <p>Partial responses are the decoded text as it becomes final: whole characters only (a Chinese character split
 * over byte tokens arrives once complete), never text that might still turn out to start a stop sequence. Their
 * concatenation equals the complete response's text.
 *
 * <p>Cancellation: {@code context.streamingHandle().cancel()} from {@code onPartialResponse(PartialResponse,
 * PartialResponseContext)} (or from any other thread holding the handle) stops the generation after the running
 * forward pass, and the worker moves on to the next request. As LangChain4j specifies, the handler receives no
 * further callbacks after {@code cancel()}, neither {@code onCompleteResponse} nor {@code onError}; listeners are
 * not notified either (LangChain4j's listener API has no "cancelled" state).
 *
 * <p>Exceptions thrown by the handler, as LangChain4j's {@code InternalStreamingChatResponseHandlerUtils} treats
 * them: one thrown by {@code onPartialResponse} goes to {@code onError} (and to listeners' {@code onError}) and the
 * stream goes on, so a handler that throws on every piece gets one {@code onError} per piece and then
 * {@code onCompleteResponse}; one thrown by {@code onCompleteResponse} goes to {@code onError}; one thrown by
 * {@code onError} is logged and ignored. To stop the generation from a handler, cancel its streaming handle.
 * Checked exceptions thrown sneakily (Kotlin, Lombok's {@code @SneakyThrows}) count as exceptions, as in LangChain4j.
 *
 * <p>An {@link Error} thrown by the handler (a failed test assertion, a stack overflow), which LangChain4j does not
 * catch, never reaches the worker thread, which serves every request of the model: one from
 * {@code onPartialResponse} ends that stream, its {@code onError} receiving the Error; one from
 * {@code onCompleteResponse} goes to {@code onError}; one from {@code onError} is logged. A listener's Error in
 * {@code onResponse} reaches the handler's {@code onError} the same way (LangChain4j calls listeners from the
 * handler it wraps around the caller's), and one from a listener's {@code onError} is logged
 * ({@link #listeners()}); a listener's exceptions are LangChain4j's to log. Other streams and later requests are
 * served as if nothing had happened.
 */
public class YinghuoStreamingChatModel extends YinghuoBaseChatModel implements StreamingChatModel {

    private final List<ChatModelListener> guardedListeners;

    public YinghuoStreamingChatModel(YinghuoStreamingChatModelBuilder builder) {
        super(builder);
        this.guardedListeners = ErrorGuardedListener.guard(super.listeners());
    }

    /**
     * The builder's listeners, each wrapped so that an {@link Error} from its {@code onError} is logged instead of
     * keeping the handler from its own {@code onError} (LangChain4j tells the listeners first); see
     * {@link ErrorGuardedListener}. The wrappers are not the objects given to the builder.
     */
    @Override
    public List<ChatModelListener> listeners() {
        return guardedListeners;
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        MessageMapper.Mapped mapped = checkSupported(request); // UnsupportedFeatureException: thrown, not onError
        PreparedChat prepared;
        StreamingCall call = new StreamingCall(handler);
        try {
            prepared = prepare(request, mapped);
            // finished on the worker thread, so every callback of the handler comes from that one thread
            submit(worker(), prepared, streamedText(prepared, call::onText), call.cancellation(),
                    (result, error) -> call.finish(error == null ? () -> toResponse(result, prepared) : null, error));
        } catch (RuntimeException e) {
            call.finish(null, e);
        }
    }

    /** A builder from the first {@link YinghuoStreamingChatModelBuilderFactory} found through SPI, else the plain one. */
    public static YinghuoStreamingChatModelBuilder builder() {
        for (YinghuoStreamingChatModelBuilderFactory factory
                : ServiceHelper.loadFactories(YinghuoStreamingChatModelBuilderFactory.class)) {
            return factory.get();
        }
        return new YinghuoStreamingChatModelBuilder();
    }

    public static class YinghuoStreamingChatModelBuilder
            extends Builder<YinghuoStreamingChatModel, YinghuoStreamingChatModelBuilder> {

        // This is public so it can be extended.
        public YinghuoStreamingChatModelBuilder() {
        }

        @Override
        public YinghuoStreamingChatModel build() {
            return new YinghuoStreamingChatModel(this);
        }
    }
}
