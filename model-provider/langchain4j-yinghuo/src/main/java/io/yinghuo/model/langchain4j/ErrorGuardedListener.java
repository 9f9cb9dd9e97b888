package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * A streaming model's listener whose {@code onError} cannot keep the handler from its {@code onError}. LangChain4j's
 * {@code StreamingChatModel.chat} wraps the caller's handler in one that tells the listeners first and the handler
 * after, and catches only a listener's {@link Exception} ({@code ChatModelListenerUtils}): a listener whose
 * {@code onError} threw an {@link Error} (a failed test assertion) left the stream without an end. Such an Error is
 * logged here instead, as LangChain4j logs a listener's exceptions. {@code onRequest} and {@code onResponse} are
 * passed through unchanged: an Error from {@code onRequest} is thrown to the caller of {@code chat}, one from
 * {@code onResponse} reaches the handler's {@code onError} ({@link StreamingCall}).
 */
final class ErrorGuardedListener implements ChatModelListener {

    private final ChatModelListener listener;

    private ErrorGuardedListener(ChatModelListener listener) {
        this.listener = listener;
    }

    static List<ChatModelListener> guard(List<ChatModelListener> listeners) {
        return listeners.stream().<ChatModelListener>map(ErrorGuardedListener::new).toList();
    }

    @Override
    public void onRequest(ChatModelRequestContext requestContext) {
        listener.onRequest(requestContext);
    }

    @Override
    public void onResponse(ChatModelResponseContext responseContext) {
        listener.onResponse(responseContext);
    }

    @Override
    public void onError(ChatModelErrorContext errorContext) {
        try {
            listener.onError(errorContext);
        } catch (Error e) {
            LoggerFactory.getLogger(ErrorGuardedListener.class).warn("a chat model listener's onError threw; ignored"
                    + " so that the streaming handler still receives onError", e);
        }
    }
}
