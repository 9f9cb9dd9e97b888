package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import io.yinghuo.ingest.pipeline.CollectionException;
import io.yinghuo.ingest.pipeline.CollectionNames;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import io.yinghuo.retrieval.rag.AskMode;
import io.yinghuo.retrieval.rag.AskRequest;
import io.yinghuo.retrieval.rag.Turn;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.documents.CollectionRoutes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /api/ask}, read into the RAG pipeline's own {@link AskRequest}; only what the pipeline has
 * no use for stays here.
 * <pre>
 * {question, mode: ask|search|chat, history: [{role: user|assistant, content}], document_ids: [...],
 *  collections: [names] ("" = the default collection), sources: 1-20 (default 5), temperature: 0-2, max_tokens,
 *  context_length, stream}
 * </pre>
 *
 * @param request       the question for the pipeline: mode, history as exchanges (a user message followed by the
 *                      assistant's answer; a message without its partner is left out), documents, passages, and
 *                      the sampling the body sets (null when it sets none)
 * @param contextTokens token budget for the prompt and the answer together (capped at the model's context), null =
 *                      the whole context
 * @param stream        whether to answer with Server-Sent Events
 */
public record AskBody(AskRequest request, Integer contextTokens, boolean stream) {

    static final int MAX_QUESTION_CHARS = 4000;
    static final int MAX_HISTORY = 40;
    static final int MAX_SOURCES = 20;
    static final int DEFAULT_SOURCES = 5;

    /**
     * Reads and validates the JSON body.
     *
     * @throws ApiException 400 naming the first bad field
     */
    public static AskBody parse(ObjectNode body, boolean streamDefault) {
        String question = text(body, "question", true);
        if (question.isBlank()) {
            throw ApiException.badRequest("question", "question must not be empty").localized("ask.question_empty");
        }
        if (question.length() > MAX_QUESTION_CHARS) {
            throw ApiException.badRequest("question", "question is longer than " + MAX_QUESTION_CHARS
                    + " characters").localized("ask.question_too_long", MAX_QUESTION_CHARS);
        }
        AskMode mode = mode(body.hasNonNull("mode") ? text(body, "mode", false) : "ask");
        List<Turn> history = history(body.get("history"));
        Set<String> documentIds = documentIds(body.get("document_ids"));
        Set<String> collections = collections(body.get("collections"));
        int sources = integer(body, "sources", 1, MAX_SOURCES, DEFAULT_SOURCES);
        Double temperature = body.hasNonNull("temperature") ? number(body, "temperature", 0, 2) : null;
        Integer maxTokens = body.hasNonNull("max_tokens") ? integer(body, "max_tokens", 1, 32768, 0) : null;
        Integer contextTokens = body.hasNonNull("context_length")
                ? integer(body, "context_length", 128, 1 << 20, 0) : null;
        boolean stream = streamDefault;
        if (body.hasNonNull("stream")) {
            if (!body.get("stream").isBoolean()) {
                throw ApiException.badRequest("stream", "stream must be true or false").localized("ask.not_boolean",
                        "stream");
            }
            stream = body.get("stream").asBoolean();
        }
        AskRequest request = new AskRequest(question, history, documentIds, collections, mode, sources,
                sampling(temperature, maxTokens));
        return new AskBody(request, contextTokens, stream);
    }

    /** "ask" (also "rag"), "search" or "chat", in any case. */
    private static AskMode mode(String name) {
        try {
            return AskMode.parse(name.equalsIgnoreCase("rag") ? "ask" : name);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("mode", "mode must be ask, search or chat, got \"" + name + "\"")
                    .localized("ask.mode", name);
        }
    }

    /** The messages paired into exchanges: each user message that the assistant's answer follows. */
    private static List<Turn> history(JsonNode h) {
        List<Turn> turns = new ArrayList<>();
        if (h == null || h.isNull()) {
            return turns;
        }
        if (!h.isArray()) {
            throw ApiException.badRequest("history", "history must be an array of {role, content}")
                    .localized("ask.history_entry");
        }
        if (h.size() > MAX_HISTORY) {
            throw ApiException.badRequest("history", "history has more than " + MAX_HISTORY + " messages")
                    .localized("ask.history_too_long", MAX_HISTORY);
        }
        String pendingUser = null;
        for (JsonNode message : h) {
            String role = message.path("role").asText("");
            JsonNode content = message.get("content");
            if (!(role.equals("user") || role.equals("assistant")) || content == null || !content.isTextual()) {
                throw ApiException.badRequest("history", "each history entry needs role \"user\" or"
                        + " \"assistant\" and a string content").localized("ask.history_entry");
            }
            if (role.equals("user")) {
                pendingUser = content.asText();
            } else if (pendingUser != null) {
                turns.add(new Turn(pendingUser, content.asText()));
                pendingUser = null;
            }
        }
        return turns;
    }

    private static Set<String> documentIds(JsonNode ids) {
        Set<String> documentIds = new LinkedHashSet<>();
        if (ids == null || ids.isNull()) {
            return documentIds;
        }
        if (!ids.isArray()) {
            throw ApiException.badRequest("document_ids", "document_ids must be an array of document ids")
                    .localized("ask.not_an_array", "document_ids");
        }
        for (JsonNode id : ids) {
            if (!id.isTextual() || !id.asText().matches("[0-9A-Za-z_-]{1,64}")) {
                throw ApiException.badRequest("document_ids", "not a document id: " + id)
                        .localized("ask.not_a_document_id", id);
            }
            documentIds.add(id.asText());
        }
        return documentIds;
    }

    /** Only passages of documents in these collections (absent or empty: every collection). */
    private static Set<String> collections(JsonNode names) {
        Set<String> collections = new LinkedHashSet<>();
        if (names == null || names.isNull()) {
            return collections;
        }
        if (!names.isArray()) {
            throw ApiException.badRequest("collections", "collections must be an array of collection names")
                    .localized("ask.not_an_array", "collections");
        }
        for (JsonNode name : names) {
            if (!name.isTextual()) {
                throw ApiException.badRequest("collections", "not a collection name: " + name)
                        .localized("ask.not_a_collection_name", name);
            }
            try {
                collections.add(CollectionNames.normalize(name.asText()));
            } catch (CollectionException e) {
                throw CollectionRoutes.refusal(e, "collections");
            }
        }
        return collections;
    }

    /** The sampling the body sets, or null for the model's defaults. */
    private static ChatRequestParameters sampling(Double temperature, Integer maxTokens) {
        if (temperature == null && maxTokens == null) {
            return null;
        }
        YinghuoChatRequestParameters.Builder p = YinghuoChatRequestParameters.builder();
        if (temperature != null) {
            p.temperature(temperature);
        }
        if (maxTokens != null) {
            p.maxOutputTokens(maxTokens);
        }
        return p.build();
    }

    private static String text(ObjectNode body, String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badRequest(field, field + " is required").localized("error.field_required", field);
            }
            return "";
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field, field + " must be a string").localized("error.field_not_string",
                    field);
        }
        return node.asText();
    }

    static int integer(ObjectNode body, String field, int min, int max, int fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw ApiException.badRequest(field, field + " must be an integer from " + min + " to " + max
                    + ", got " + node).localized("error.integer_range", field, min, max, node);
        }
        return node.asInt();
    }

    static double number(ObjectNode body, String field, double min, double max) {
        JsonNode node = body.get(field);
        if (!node.isNumber() || !(node.asDouble() >= min && node.asDouble() <= max)) {
            throw ApiException.badRequest(field, field + " must be a number from " + min + " to " + max
                    + ", got " + node).localized("error.number_range", field, min, max, node);
        }
        return node.asDouble();
    }
}
