package io.yinghuo.web.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.javalin.http.Context;
import io.yinghuo.model.langchain4j.ContextLengthExceededException;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import io.yinghuo.model.langchain4j.YinghuoStreamingChatModel;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.ClientProbe;
import io.yinghuo.web.ErrorResponses;
import io.yinghuo.web.Json;
import io.yinghuo.web.SseStream;
import io.yinghuo.web.generation.GenerationQueue;
import io.yinghuo.web.generation.ModelService;
import io.yinghuo.web.generation.QueuedGeneration;

import java.io.IOException;
import java.util.UUID;

/**
 * The OpenAI-compatible API under {@code /v1}: {@code GET /v1/models}, {@code POST /v1/chat/completions} and
 * {@code POST /v1/completions}, streamed ({@code "stream": true}, chunks as {@code data:} events ending with
 * {@code data: [DONE]}) or not. Requests share the generation queue with the web UI.
 *
 * <p>Conversations: messages are read as the provider reads them (see {@code MessageMapper} in
 * langchain4j-yinghuo): several system (or developer) messages are merged, consecutive messages of one role are
 * merged, the conversation may start with the assistant, and an assistant message last is a prefill that the answer
 * continues (the response holds only the continuation). A conversation is never shortened: one that does not fit the
 * context with room for the answer is refused as OpenAI refuses it, {@code 400} with code
 * {@code context_length_exceeded} and param {@code messages} ({@code prompt} on {@code /v1/completions}).
 *
 * <p>Ids: the id of a response (and of every chunk of a streamed one) is the provider's
 * {@code ChatResponseMetadata.id()} for it: the route names it before the stream starts and hands it to the
 * provider as the request's {@code responseId}, so listeners and logs on the provider see the same id.
 *
 * @see <a href="https://platform.openai.com/docs/api-reference/chat">OpenAI chat completions reference</a>
 */
public final class OpenAiRoutes {

    private final ModelService models;
    private final long created = System.currentTimeMillis() / 1000;

    public OpenAiRoutes(ModelService models) {
        this.models = models;
    }

    /** {@code GET /v1/models}: the loaded model, or an empty list. */
    public void models(Context ctx) {
        ObjectNode body = Json.object();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        if (models.loaded()) {
            data.add(model());
        }
        ctx.json(body);
    }

    /** {@code GET /v1/models/{model}}. */
    public void model(Context ctx) {
        String id = ctx.pathParam("model");
        if (!models.loaded() || !id.equals(models.name())) {
            throw modelNotFound(id);
        }
        ctx.json(model());
    }

    private ObjectNode model() {
        ObjectNode m = Json.object();
        m.put("id", models.name());
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "yinghuo");
        return m;
    }

    public void chatCompletions(Context ctx) throws IOException, InterruptedException {
        OpenAiRequest request = OpenAiRequest.chat(Json.parseObject(ctx.bodyAsBytes()));
        serve(ctx, request, models.streamingChat(), true);
    }

    public void completions(Context ctx) throws IOException, InterruptedException {
        OpenAiRequest request = OpenAiRequest.completion(Json.parseObject(ctx.bodyAsBytes()));
        serve(ctx, request, models.streamingCompletion(), false);
    }

    private void serve(Context ctx, OpenAiRequest request, StreamingChatModel model, boolean chat)
            throws IOException, InterruptedException {
        if (request.model() != null && !request.model().equals(models.name())) {
            throw modelNotFound(request.model());
        }
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        // OpenAI never answers a conversation other than the one sent: no exchange is left out to make it fit.
        ChatRequest chatRequest = ChatRequest.builder().messages(request.messages())
                .parameters(request.parameters().overrideWith(YinghuoChatRequestParameters.builder()
                        .responseId(id).dropOldestExchanges(false).build()))
                .build();
        refuseEarly(model, chatRequest, chat ? "messages" : "prompt");
        models.checkAvailable(); // remote model servers all known down: a plain 503, not an error in a stream
        long now = System.currentTimeMillis() / 1000;
        GenerationQueue queue = models.queue();
        GenerationQueue.Ticket ticket = queue.enter(); // a full queue: 503 with Retry-After, before any byte
        if (!request.stream()) {
            ChatResponse response;
            try {
                response = QueuedGeneration.run(queue, ticket, model, chatRequest, ClientProbe.of(ctx).listener());
            } catch (ClientProbe.ClientGoneException e) {
                return; // the client went away while waiting or generating; the generation has been cancelled
            }
            String responseId = response.metadata().id() != null ? response.metadata().id() : id;
            ctx.json(chat ? chatCompletion(responseId, now, response, request.parallelToolCalls())
                    : textCompletion(responseId, now, response));
            return;
        }
        SseStream stream;
        try {
            stream = new SseStream(ctx);
        } catch (IOException | RuntimeException e) {
            queue.leave(ticket);
            throw e;
        }
        ChunkWriter writer = new ChunkWriter(stream, id, now, models.name(), chat);
        if (chat) {
            // Written before QueuedGeneration.run, which gives the place back in every case: a failure here (the
            // client gone as the headers left) must give it back itself, or the place would stand first in the
            // queue for good and every later request would wait behind it.
            try {
                writer.roleChunk();
            } catch (IOException e) {
                queue.leave(ticket);
                return; // the client went away before its first chunk; nothing was generated
            } catch (RuntimeException | Error e) {
                queue.leave(ticket);
                throw e;
            }
        }
        try {
            ChatResponse response = QueuedGeneration.run(queue, ticket, model, chatRequest, writer);
            if (response.aiMessage().hasToolExecutionRequests()) {
                writer.toolCalls(OpenAiTools.returned(response.aiMessage(), request.parallelToolCalls()));
            }
            writer.finish(finishReason(response.metadata().finishReason()));
            if (request.includeUsage()) {
                writer.usage(usage(response.metadata().tokenUsage()));
            }
            stream.data("[DONE]");
        } catch (ApiException e) {
            stream.data(Json.write(ErrorResponses.body(e)));
            stream.data("[DONE]");
        } catch (IOException e) {
            // the client went away; the generation has been cancelled
        }
    }

    private ObjectNode chatCompletion(String id, long now, ChatResponse response, boolean parallelToolCalls) {
        ObjectNode body = envelope(id, "chat.completion", now);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", response.aiMessage().text());
        if (response.aiMessage().hasToolExecutionRequests()) {
            message.set("tool_calls", OpenAiTools.toolCalls(
                    OpenAiTools.returned(response.aiMessage(), parallelToolCalls), false));
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(response.metadata().finishReason()));
        body.set("usage", usage(response.metadata().tokenUsage()));
        return body;
    }

    private ObjectNode textCompletion(String id, long now, ChatResponse response) {
        ObjectNode body = envelope(id, "text_completion", now);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("text", response.aiMessage().text());
        choice.put("index", 0);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(response.metadata().finishReason()));
        body.set("usage", usage(response.metadata().tokenUsage()));
        return body;
    }

    private ObjectNode envelope(String id, String object, long now) {
        ObjectNode body = Json.object();
        body.put("id", id);
        body.put("object", object);
        body.put("created", now);
        body.put("model", models.name());
        return body;
    }

    static ObjectNode usage(TokenUsage usage) {
        ObjectNode u = Json.object();
        int in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        u.put("prompt_tokens", in);
        u.put("completion_tokens", out);
        u.put("total_tokens", in + out);
        return u;
    }

    /** OpenAI names: "length" when max_tokens (or the context) ended it, "tool_calls" for calls, else "stop". */
    static String finishReason(FinishReason reason) {
        return reason == FinishReason.LENGTH ? "length" : reason == FinishReason.TOOL_EXECUTION ? "tool_calls" : "stop";
    }

    /**
     * Checks the request as the provider will, before it takes a place in the queue and before a stream commits to
     * status 200: a refusal is then a plain OpenAI error response, as OpenAI sends it, also for {@code stream: true}.
     * Costs one tokenization of the prompt. A remote model server checks its requests itself; its refusals come back
     * as 400 errors.
     */
    private static void refuseEarly(StreamingChatModel model, ChatRequest request, String param) {
        if (!(model instanceof YinghuoStreamingChatModel local)) {
            return;
        }
        try {
            local.validate(request);
        } catch (ContextLengthExceededException e) {
            throw ContextLengthErrors.of(e, param);
        } catch (InvalidRequestException | UnsupportedFeatureException e) {
            throw QueuedGeneration.translate(e);
        }
    }

    private static ApiException modelNotFound(String id) {
        return new ApiException(404, "invalid_request_error", "model_not_found", "model", "The model "
                + Json.write(id) + " does not exist on this server; GET /v1/models lists the loaded one");
    }

    /** Writes the standard chunk objects. */
    private static final class ChunkWriter implements QueuedGeneration.Listener {
        private final SseStream stream;
        private final String id;
        private final long created;
        private final String model;
        private final boolean chat;

        ChunkWriter(SseStream stream, String id, long created, String model, boolean chat) {
            this.stream = stream;
            this.id = id;
            this.created = created;
            this.model = model;
            this.chat = chat;
        }

        void roleChunk() throws IOException {
            ObjectNode chunk = chunk();
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode delta = choice.putObject("delta");
            delta.put("role", "assistant");
            delta.put("content", "");
            choice.putNull("logprobs");
            choice.putNull("finish_reason");
            stream.data(Json.write(chunk));
        }

        @Override
        public void token(String text) throws IOException {
            if (!text.isEmpty()) {
                write(text, null);
            }
        }

        /** The calls of an answer, in one chunk (they are known whole only once the answer is complete). */
        void toolCalls(java.util.List<dev.langchain4j.agent.tool.ToolExecutionRequest> calls) throws IOException {
            ObjectNode chunk = chunk();
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("delta").set("tool_calls", OpenAiTools.toolCalls(calls, true));
            choice.putNull("logprobs");
            choice.putNull("finish_reason");
            stream.data(Json.write(chunk));
        }

        void finish(String reason) throws IOException {
            write(null, reason);
        }

        void usage(ObjectNode usage) throws IOException {
            ObjectNode chunk = chunk();
            chunk.putArray("choices");
            chunk.set("usage", usage);
            stream.data(Json.write(chunk));
        }

        private void write(String text, String finishReason) throws IOException {
            ObjectNode chunk = chunk();
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            if (chat) {
                ObjectNode delta = choice.putObject("delta");
                if (text != null) {
                    delta.put("content", text);
                }
            } else {
                choice.put("text", text == null ? "" : text);
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason);
            stream.data(Json.write(chunk));
        }

        private ObjectNode chunk() {
            ObjectNode chunk = Json.object();
            chunk.put("id", id);
            chunk.put("object", chat ? "chat.completion.chunk" : "text_completion");
            chunk.put("created", created);
            chunk.put("model", model);
            return chunk;
        }

        @Override
        public void queued(int ahead) throws IOException {
            stream.heartbeat();
        }

        @Override
        public void heartbeat() throws IOException {
            stream.heartbeat();
        }
    }
}
