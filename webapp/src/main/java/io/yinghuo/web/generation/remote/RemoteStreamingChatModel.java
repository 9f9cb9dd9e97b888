package io.yinghuo.web.generation.remote;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * A {@link StreamingChatModel} over several OpenAI-compatible servers, each reached through LangChain4j's
 * {@code OpenAiStreamingChatModel}: a request goes to the endpoint with the fewest requests in flight; one that fails
 * there through the server's fault before any token arrived goes to the next endpoint (at most once to each); once
 * tokens have been streamed a failure ends the answer with a {@link RemoteModelException} instead, since a retry
 * would stream the answer again from its start.
 *
 * <p>Timeouts: the OpenAI client's own {@code timeout} covers connecting and the wait for the response headers; a
 * server that then goes silent (stalled, or queued behind other requests for too long) is caught here: no token for
 * {@code stallTimeoutMillis} fails the attempt as a timeout.
 *
 * <p>Cancelling (LangChain4j's {@link StreamingHandle}, handed out with every partial response) cancels the
 * request on the endpoint serving it; no callback follows, as LangChain4j specifies.
 */
public final class RemoteStreamingChatModel implements StreamingChatModel, AutoCloseable {

    private final LeastOutstandingPicker picker;
    private final String modelName;
    private final long stallTimeoutMillis;
    private final BiConsumer<ChatRequest, ChatResponse> onAnswered;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "yinghuo-remote-model-watchdog");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param modelName  the model name sent to the servers (null: none, for servers that serve one model)
     * @param onAnswered told of each complete answer with the request sent (token usage calibration)
     */
    RemoteStreamingChatModel(List<RemoteEndpoint> endpoints, String modelName, long stallTimeoutMillis,
                             BiConsumer<ChatRequest, ChatResponse> onAnswered) {
        this.picker = new LeastOutstandingPicker(endpoints);
        this.modelName = modelName;
        this.stallTimeoutMillis = stallTimeoutMillis;
        this.onAnswered = onAnswered;
    }

    public List<RemoteEndpoint> endpoints() {
        return picker.endpoints();
    }

    /**
     * Overrides {@code chat} itself rather than {@code doChat}: the default {@code chat} merges the request's
     * parameters into plain LangChain4j ones, which would lose {@code top_k}, {@code repetition_penalty} and the seed
     * before {@link RemoteParameters} can pass them on.
     */
    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        new RoutedRequest(RemoteParameters.forRemote(request, modelName), handler).tryNextEndpoint();
    }

    /**
     * Refuses at once, before a response starts, when every endpoint is known to be down (each failed within its
     * retry period): the client gets a plain 503 with {@code Retry-After} rather than an error inside a stream.
     *
     * @throws RemoteModelException when no endpoint may be tried now
     */
    public void checkAvailable() {
        long soonest = Long.MAX_VALUE;
        List<String> parts = new ArrayList<>();
        for (RemoteEndpoint e : picker.endpoints()) {
            if (e.available()) {
                return;
            }
            soonest = Math.min(soonest, e.millisUntilAvailable());
            parts.add(e.url() + ": down after an error, retried in " + (e.millisUntilAvailable() + 999) / 1000 + " s");
        }
        throw RemoteModelException.unavailable(String.join("; ", parts), (soonest + 999) / 1000, null);
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    /** One request, over as many endpoints as it takes. */
    private final class RoutedRequest implements StreamingHandle {
        private final ChatRequest request;
        private final StreamingChatResponseHandler handler;
        private final Set<RemoteEndpoint> tried = new HashSet<>();
        private final List<String> failures = new ArrayList<>();
        private volatile Attempt current;
        private volatile boolean cancelled;

        RoutedRequest(ChatRequest request, StreamingChatResponseHandler handler) {
            this.request = request;
            this.handler = handler;
        }

        void tryNextEndpoint() {
            if (cancelled) {
                return;
            }
            RemoteEndpoint endpoint = picker.acquire(tried);
            if (endpoint == null) {
                handler.onError(RemoteModelException.unavailable(summary(), retryAfterSeconds(),
                        null));
                return;
            }
            tried.add(endpoint);
            Attempt attempt = new Attempt(this, endpoint);
            current = attempt;
            attempt.start();
        }

        /** "url: what went wrong" for each endpoint tried, and "url: down" for those skipped. */
        private String summary() {
            List<String> parts = new ArrayList<>(failures);
            for (RemoteEndpoint e : picker.endpoints()) {
                if (!tried.contains(e)) {
                    parts.add(e.url() + ": " + (e.available() ? "busy" : "down after an error, retried in "
                            + (e.millisUntilAvailable() + 999) / 1000 + " s"));
                }
            }
            return String.join("; ", parts);
        }

        private long retryAfterSeconds() {
            long soonest = Long.MAX_VALUE;
            for (RemoteEndpoint e : picker.endpoints()) {
                soonest = Math.min(soonest, e.millisUntilAvailable());
            }
            return Math.max(1, (soonest + 999) / 1000);
        }

        @Override
        public void cancel() {
            cancelled = true;
            Attempt a = current;
            if (a != null) {
                a.cancel();
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    /** The request on one endpoint. */
    private final class Attempt implements StreamingChatResponseHandler {
        private final RoutedRequest routed;
        private final RemoteEndpoint endpoint;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile boolean streamed;
        private volatile long lastActivity = System.nanoTime();
        private volatile StreamingHandle upstream;
        private ScheduledFuture<?> stallCheck;

        Attempt(RoutedRequest routed, RemoteEndpoint endpoint) {
            this.routed = routed;
            this.endpoint = endpoint;
        }

        void start() {
            long period = Math.max(50, Math.min(1000, stallTimeoutMillis / 4));
            stallCheck = watchdog.scheduleAtFixedRate(this::checkStall, period, period, TimeUnit.MILLISECONDS);
            try {
                endpoint.client().chat(routed.request, this);
            } catch (RuntimeException e) {
                onError(e); // the client refuses some requests by throwing (LangChain4j's convention)
            }
        }

        private void checkStall() {
            if (System.nanoTime() - lastActivity > TimeUnit.MILLISECONDS.toNanos(stallTimeoutMillis)) {
                StreamingHandle h = upstream;
                onError(new RemoteFailures.StallTimeoutException(stallTimeoutMillis / 1000));
                if (h != null) {
                    h.cancel();
                }
            }
        }

        void cancel() {
            StreamingHandle h = upstream;
            if (h != null) {
                h.cancel();
            }
            end();
        }

        /** True for the first of complete, error and cancel: the attempt's outcome; later callbacks are dropped. */
        private boolean end() {
            if (!ended.compareAndSet(false, true)) {
                return false;
            }
            stallCheck.cancel(false);
            endpoint.release();
            return true;
        }

        @Override
        public void onPartialResponse(String partialResponse) {
            onPartialResponse(new PartialResponse(partialResponse), null);
        }

        @Override
        public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
            if (context != null) {
                upstream = context.streamingHandle();
            }
            if (ended.get() || routed.cancelled) {
                if (upstream != null) {
                    upstream.cancel();
                }
                return;
            }
            lastActivity = System.nanoTime();
            if (!streamed) {
                streamed = true;
                endpoint.succeeded();
            }
            routed.handler.onPartialResponse(partialResponse, new PartialResponseContext(routed));
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            if (!end()) {
                return;
            }
            if (!streamed) {
                endpoint.succeeded();
            }
            if (onAnswered != null) {
                onAnswered.accept(routed.request, response);
            }
            routed.handler.onCompleteResponse(response);
        }

        @Override
        public void onError(Throwable error) {
            if (!end() || routed.cancelled) {
                return;
            }
            if (RemoteFailures.isRequestFault(error)) {
                routed.handler.onError(error); // the server is fine; the request is wrong everywhere
                return;
            }
            endpoint.failed(RemoteFailures.describe(error));
            if (streamed) {
                routed.handler.onError(RemoteModelException.midAnswer(endpoint, error));
                return;
            }
            routed.failures.add(endpoint.url() + ": " + RemoteFailures.describe(error));
            routed.tryNextEndpoint();
        }
    }
}
