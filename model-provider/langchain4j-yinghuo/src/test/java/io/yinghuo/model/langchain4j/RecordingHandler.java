package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Records every callback; {@link #done} completes with the response or the error. */
class RecordingHandler implements StreamingChatResponseHandler {

    final List<String> partials = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        partials.add(partialResponse.text());
        threads.add(Thread.currentThread().getName());
        events.add("partial");
        onPartial(partialResponse.text(), context);
    }

    /** Hook for tests that act on a partial (cancel, throw). */
    void onPartial(String text, PartialResponseContext context) {
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
        events.add("complete");
        done.complete(completeResponse);
    }

    @Override
    public void onError(Throwable error) {
        events.add("error");
        done.completeExceptionally(error);
    }

    /** Waits for the end; the bound only keeps a broken build from hanging, it is not part of any assertion. */
    ChatResponse await() throws Exception {
        return done.get(120, TimeUnit.SECONDS);
    }
}
