package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

import java.util.List;
import java.util.Locale;

/**
 * Streams a model's answer to a listener and ends the question once, with the response its maker builds from the
 * text. Document answers and chat answers stream the same way; cancelling has a LangChain4j rule (nothing arrives
 * after {@code StreamingHandle.cancel()}, so the answer so far must be completed here) that belongs in one place.
 */
final class StreamedAnswer {

    /** The response for the answer text, why generation ended, and how long the model took. */
    interface ResponseMaker {
        AskResponse make(String text, String finishReason, double answerMillis);
    }

    private StreamedAnswer() {
    }

    /** Sends {@code messages} to {@code model}; the answer streams to {@code listener} from the model's thread. */
    static void start(StreamingChatModel model, List<ChatMessage> messages, ChatRequestParameters parameters,
                      AnswerListener listener, AskHandle handle, ResponseMaker maker) {
        ChatRequest.Builder request = ChatRequest.builder().messages(messages);
        if (parameters != null) {
            request.parameters(parameters);
        }
        long start = System.nanoTime();
        StringBuilder text = new StringBuilder();
        model.chat(request.build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                if (handle.result().isDone()) {
                    context.streamingHandle().cancel(); // ended by a listener's failure: stop the model
                    return;
                }
                if (handle.isCancelled()) {
                    context.streamingHandle().cancel();
                    handle.complete(listener, maker.make(text.toString(), "cancelled", millisSince(start)));
                    return;
                }
                text.append(partial.text());
                try {
                    listener.onToken(partial.text());
                } catch (RuntimeException e) {
                    // The model goes on after a handler's exception (LangChain4j's streaming contract), so the
                    // answer stops here: nobody is left to take its tokens.
                    context.streamingHandle().cancel();
                    handle.fail(listener, e);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                String answer = response.aiMessage().text() == null ? text.toString() : response.aiMessage().text();
                String reason = response.finishReason() == null ? ""
                        : response.finishReason().name().toLowerCase(Locale.ROOT);
                handle.complete(listener, maker.make(answer, reason, millisSince(start)));
            }

            @Override
            public void onError(Throwable error) {
                handle.fail(listener, error);
            }
        });
    }

    static double millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e6;
    }
}
