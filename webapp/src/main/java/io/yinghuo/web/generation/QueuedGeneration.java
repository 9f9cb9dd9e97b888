package io.yinghuo.web.generation;

import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.generation.remote.RemoteModelException;

import java.io.IOException;

/**
 * Runs one generation for an HTTP request: waits its turn in the {@link GenerationQueue}, streams the answer to a
 * {@link Listener} from the request's own thread, and gives the model up when done, failed or abandoned.
 */
public final class QueuedGeneration {

    /** How often a waiting or silent request checks on its client. */
    static final long TICK_MILLIS = 1000;

    /** What the request does with the generation as it happens; an IOException means the client has gone. */
    public interface Listener {
        void queued(int ahead) throws IOException;

        void token(String text) throws IOException;

        void heartbeat() throws IOException;

        /** Its turn has come, just before the model starts (a last look at the client); nothing by default. */
        default void starting() throws IOException {
        }
    }

    private QueuedGeneration() {
    }

    /**
     * @return the complete response
     * @throws IOException when the listener reports its client gone (the generation has then been cancelled)
     * @throws ApiException 400 for a request the model refuses (too long for the context, unsupported feature), 503
     *                      when the queue is full or no remote model server answers, 502 when a remote server fails
     *                      mid-answer, 500 when the engine fails
     */
    public static ChatResponse run(GenerationQueue queue, StreamingChatModel model, ChatRequest request,
                                   Listener listener) throws IOException, InterruptedException {
        return run(queue, queue.enter(), model, request, listener);
    }

    /**
     * {@link #run(GenerationQueue, StreamingChatModel, ChatRequest, Listener)} with a place taken beforehand (so
     * that a full queue is answered 503 before a stream begins); the ticket is given back in every case.
     */
    public static ChatResponse run(GenerationQueue queue, GenerationQueue.Ticket ticket, StreamingChatModel model,
                                   ChatRequest request, Listener listener) throws IOException, InterruptedException {
        TokenStream stream = null;
        try {
            int lastAhead = -1;
            while (!queue.awaitTurn(ticket, TICK_MILLIS)) {
                int ahead = queue.ahead(ticket);
                if (ahead != lastAhead) {
                    listener.queued(ahead);
                    lastAhead = ahead;
                } else {
                    listener.heartbeat();
                }
            }
            listener.starting();
            stream = TokenStream.start(model, request);
            while (true) {
                TokenStream.Event event = stream.next(TICK_MILLIS);
                if (event == null) {
                    listener.heartbeat();
                } else if (event instanceof TokenStream.Token token) {
                    listener.token(token.text());
                } else if (event instanceof TokenStream.Complete complete) {
                    return complete.response();
                } else if (event instanceof TokenStream.Failed failed) {
                    throw translate(failed.error());
                }
            }
        } catch (Throwable e) {
            // Whatever ends the request here (its client gone, an interrupt, or an Error such as a stack overflow
            // while writing), the generation must not go on without a reader: the queue is given back below, so
            // an uncancelled one would run alongside the next request's.
            if (stream != null) {
                stream.cancel();
            }
            throw e;
        } finally {
            queue.leave(ticket);
        }
    }

    /** The provider's exceptions as API errors: the request's fault is a 400, anything else a 500. */
    public static ApiException translate(Throwable error) {
        if (error instanceof ApiException api) {
            return api;
        }
        if (error instanceof RemoteModelException remote) {
            return remote.toApiException();
        }
        if (error instanceof InvalidRequestException || error instanceof IllegalArgumentException) {
            String message = String.valueOf(error.getMessage());
            ApiException e = ApiException.badRequest(null, message);
            if (message.startsWith("the question does not fit")) {
                e.localized("error.question_too_long");
            } else if (message.startsWith("relevant passages were found, but none fits")) {
                e.localized("error.no_passage_fits");
            }
            return e;
        }
        if (error instanceof UnsupportedFeatureException) {
            return new ApiException(400, "invalid_request_error", "unsupported", null, error.getMessage())
                    .localized("error.unsupported_feature", error.getMessage());
        }
        return new ApiException(500, "server_error", "generation_failed", null, "the model failed: "
                + (error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage()))
                .localized("error.generation_failed");
    }
}
