package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.web.ApiException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A question from the UI or a REST client ({@code POST /api/ask}).
 *
 * @param question the question
 * @param mode {@link Mode#ASK} answer from the documents, {@link Mode#SEARCH} sources only, {@link Mode#CHAT} the
 *             model alone
 * @param history earlier turns of the conversation, oldest first
 * @param documentIds documents the question may use; empty = all
 * @param sources how many passages to retrieve
 * @param temperature sampling temperature, null = the model's default
 * @param maxTokens most tokens in the answer, null = the model's default
 * @param contextTokens token budget for the prompt and the answer together (capped at the model's context), null =
 *                      the whole context
 * @param stream whether to answer with Server-Sent Events
 */
public record AskRequest(String question, Mode mode, List<Turn> history, Set<String> documentIds, int sources,
                         Double temperature, Integer maxTokens, Integer contextTokens, boolean stream) {

    public enum Mode { ASK, SEARCH, CHAT }

    /** One earlier message. */
    public record Turn(boolean user, String content) {
    }

    static final int MAX_QUESTION_CHARS = 4000;
    static final int MAX_HISTORY = 40;
    static final int MAX_SOURCES = 20;

    /**
     * Reads and validates the JSON body.
     *
     * @throws ApiException 400 naming the first bad field
     */
    public static AskRequest parse(ObjectNode body, boolean streamDefault) {
        String question = text(body, "question", true);
        if (question.isBlank()) {
            throw ApiException.badRequest("question", "question must not be empty");
        }
        if (question.length() > MAX_QUESTION_CHARS) {
            throw ApiException.badRequest("question", "question is longer than " + MAX_QUESTION_CHARS
                    + " characters");
        }
        String modeName = body.hasNonNull("mode") ? text(body, "mode", false) : "ask";
        Mode mode = switch (modeName.toLowerCase(Locale.ROOT)) {
            case "ask", "rag" -> Mode.ASK;
            case "search" -> Mode.SEARCH;
            case "chat" -> Mode.CHAT;
            default -> throw ApiException.badRequest("mode", "mode must be ask, search or chat, got \"" + modeName
                    + "\"");
        };
        List<Turn> history = new ArrayList<>();
        JsonNode h = body.get("history");
        if (h != null && !h.isNull()) {
            if (!h.isArray()) {
                throw ApiException.badRequest("history", "history must be an array of {role, content}");
            }
            if (h.size() > MAX_HISTORY) {
                throw ApiException.badRequest("history", "history has more than " + MAX_HISTORY + " messages");
            }
            for (JsonNode turn : h) {
                String role = turn.path("role").asText("");
                JsonNode content = turn.get("content");
                if (!(role.equals("user") || role.equals("assistant")) || content == null || !content.isTextual()) {
                    throw ApiException.badRequest("history", "each history entry needs role \"user\" or"
                            + " \"assistant\" and a string content");
                }
                history.add(new Turn(role.equals("user"), content.asText()));
            }
        }
        Set<String> documentIds = new LinkedHashSet<>();
        JsonNode ids = body.get("document_ids");
        if (ids != null && !ids.isNull()) {
            if (!ids.isArray()) {
                throw ApiException.badRequest("document_ids", "document_ids must be an array of document ids");
            }
            for (JsonNode id : ids) {
                if (!id.isTextual() || !id.asText().matches("[0-9A-Za-z_-]{1,64}")) {
                    throw ApiException.badRequest("document_ids", "not a document id: " + id);
                }
                documentIds.add(id.asText());
            }
        }
        int sources = integer(body, "sources", 1, MAX_SOURCES, 5);
        Double temperature = body.hasNonNull("temperature") ? number(body, "temperature", 0, 2) : null;
        Integer maxTokens = body.hasNonNull("max_tokens") ? integer(body, "max_tokens", 1, 32768, 0) : null;
        Integer contextTokens = body.hasNonNull("context_length")
                ? integer(body, "context_length", 128, 1 << 20, 0) : null;
        boolean stream = streamDefault;
        if (body.hasNonNull("stream")) {
            if (!body.get("stream").isBoolean()) {
                throw ApiException.badRequest("stream", "stream must be true or false");
            }
            stream = body.get("stream").asBoolean();
        }
        return new AskRequest(question, mode, List.copyOf(history), Set.copyOf(documentIds), sources, temperature,
                maxTokens, contextTokens, stream);
    }

    private static String text(ObjectNode body, String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badRequest(field, field + " is required");
            }
            return "";
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field, field + " must be a string");
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
                    + ", got " + node);
        }
        return node.asInt();
    }

    static double number(ObjectNode body, String field, double min, double max) {
        JsonNode node = body.get(field);
        if (!node.isNumber() || !(node.asDouble() >= min && node.asDouble() <= max)) {
            throw ApiException.badRequest(field, field + " must be a number from " + min + " to " + max
                    + ", got " + node);
        }
        return node.asDouble();
    }
}
