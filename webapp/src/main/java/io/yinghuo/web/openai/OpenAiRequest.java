package io.yinghuo.web.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import io.yinghuo.web.ApiException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an OpenAI chat or completion request this server understands, validated. Fields it cannot honour
 * are refused by name rather than silently ignored: {@code n > 1}, additive frequency/presence penalties, logprobs,
 * and on {@code /v1/completions} tools and response formats. Tools, tool choice and response formats of chat
 * requests: {@link OpenAiTools}. Extensions beyond OpenAI's fields: {@code top_k} and
 * {@code repetition_penalty} (the multiplicative penalty of the LLaMA reference scripts).
 *
 * @param model the model named by the client, or null
 * @param messages the conversation (chat) or a single user message holding the prompt (completions)
 * @param parameters sampling parameters; unset ones take the model's defaults
 * @param stream whether to stream chunks
 * @param includeUsage whether a streamed response ends with a usage chunk ({@code stream_options.include_usage})
 * @param parallelToolCalls whether an answer may return several tool calls ({@code parallel_tool_calls})
 */
record OpenAiRequest(String model, List<ChatMessage> messages, YinghuoChatRequestParameters parameters,
                     boolean stream, boolean includeUsage, boolean parallelToolCalls) {

    /** OpenAI's default for /v1/completions, which (unlike chat) documents one. */
    static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

    static OpenAiRequest chat(ObjectNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.badRequest("messages", "messages must be a non-empty array");
        }
        List<ChatMessage> list = new ArrayList<>();
        Map<String, String> toolNames = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            list.add(message(messages.get(i), "messages[" + i + "]", toolNames));
        }
        refuseUnsupported(body);
        YinghuoChatRequestParameters.Builder parameters = parameters(body, null);
        OpenAiTools.apply(body, parameters);
        return new OpenAiRequest(model(body), list, parameters.build(), stream(body), includeUsage(body),
                OpenAiTools.parallelToolCalls(body));
    }

    static OpenAiRequest completion(ObjectNode body) {
        JsonNode prompt = body.get("prompt");
        String text;
        if (prompt != null && prompt.isTextual()) {
            text = prompt.asText();
        } else if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            text = prompt.get(0).asText();
        } else {
            throw ApiException.badRequest("prompt", "prompt must be a string (or an array of one string)");
        }
        if (text.isEmpty()) {
            throw ApiException.badRequest("prompt", "prompt must not be empty");
        }
        if (body.path("echo").asBoolean(false)) {
            throw unsupported("echo", "echo is not supported");
        }
        if (body.hasNonNull("suffix")) {
            throw unsupported("suffix", "suffix (insertion) is not supported");
        }
        if (body.hasNonNull("best_of") && body.get("best_of").asInt() != 1) {
            throw unsupported("best_of", "best_of must be 1");
        }
        refuseUnsupported(body);
        if (body.hasNonNull("tools") || body.hasNonNull("functions")) {
            throw unsupported("tools", "tools belong to /v1/chat/completions");
        }
        JsonNode format = body.get("response_format");
        if (format != null && !format.isNull() && !"text".equals(format.path("type").asText("text"))) {
            throw unsupported("response_format", "response formats belong to /v1/chat/completions");
        }
        return new OpenAiRequest(model(body), List.of(UserMessage.from(text)),
                parameters(body, COMPLETIONS_DEFAULT_MAX_TOKENS).build(), stream(body), includeUsage(body), true);
    }

    private static ChatMessage message(JsonNode node, String where, Map<String, String> toolNames) {
        if (!node.isObject()) {
            throw ApiException.badRequest(where, where + " must be an object with role and content");
        }
        String role = node.path("role").asText("");
        if (role.equals("assistant") && node.path("tool_calls").isArray() && !node.get("tool_calls").isEmpty()) {
            return OpenAiTools.assistantCalls(node, where, toolNames);
        }
        String content = content(node.get("content"), where);
        if ((role.equals("system") || role.equals("developer")) && content.trim().isEmpty()) {
            // LangChain4j's SystemMessage refuses text that trim() empties (spaces, but also controls such as
            // U+0000); without the message the template's default system prompt would stand in for the empty one
            // the client asked for, so say so instead of guessing.
            throw ApiException.badRequest(where + ".content", where + ".content is empty: a " + role
                    + " message needs text; leave the message out to use the model's default system prompt");
        }
        return switch (role) {
            case "system", "developer" -> SystemMessage.from(content);
            case "user" -> UserMessage.from(content);
            case "assistant" -> AiMessage.from(content);
            case "tool" -> OpenAiTools.toolResult(node, content, where, toolNames);
            case "function" -> throw unsupported(where + ".role", "the deprecated function role is not supported;"
                    + " send tool messages with tool_call_id");
            default -> throw ApiException.badRequest(where + ".role", where + ".role must be system, user or"
                    + " assistant, got " + node.get("role"));
        };
    }

    /** A string, or an array of {"type":"text","text":...} parts joined. */
    private static String content(JsonNode node, String where) {
        if (node != null && node.isTextual()) {
            return node.asText();
        }
        if (node != null && node.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : node) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw unsupported(where + ".content", "only text content parts are supported (no images or"
                            + " audio)");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw ApiException.badRequest(where + ".content", where + ".content must be a string");
    }

    private static void refuseUnsupported(ObjectNode body) {
        if (body.hasNonNull("functions")) {
            throw unsupported("functions", "the deprecated functions field is not supported; send tools");
        }
        if (body.hasNonNull("n") && body.get("n").asInt() != 1) {
            throw unsupported("n", "n must be 1: one answer per request");
        }
        for (String penalty : List.of("frequency_penalty", "presence_penalty")) {
            if (body.hasNonNull(penalty) && body.get(penalty).asDouble() != 0) {
                throw unsupported(penalty, penalty + " is not supported; use the repetition_penalty extension"
                        + " (multiplicative, 1 = off)");
            }
        }
        if (body.hasNonNull("logprobs") && !body.get("logprobs").equals(com.fasterxml.jackson.databind.node
                .BooleanNode.FALSE)) {
            throw unsupported("logprobs", "logprobs are not supported");
        }
    }

    private static YinghuoChatRequestParameters.Builder parameters(ObjectNode body, Integer defaultMaxTokens) {
        YinghuoChatRequestParameters.Builder p = YinghuoChatRequestParameters.builder();
        Integer maxTokens = intField(body, "max_completion_tokens", 1, 1 << 20);
        if (maxTokens == null) {
            maxTokens = intField(body, "max_tokens", 1, 1 << 20);
        }
        if (maxTokens == null) {
            maxTokens = defaultMaxTokens;
        }
        if (maxTokens != null) {
            p.maxOutputTokens(maxTokens);
        }
        Double temperature = doubleField(body, "temperature", 0, 2, true);
        if (temperature != null) {
            p.temperature(temperature);
        }
        Double topP = doubleField(body, "top_p", 0, 1, false);
        if (topP != null) {
            p.topP(topP);
        }
        Integer topK = intField(body, "top_k", 0, 1 << 20);
        if (topK != null) {
            p.topK(topK);
        }
        Double repetition = doubleField(body, "repetition_penalty", 0, 10, false);
        if (repetition != null) {
            p.repetitionPenalty(repetition);
        }
        JsonNode seed = body.get("seed");
        if (seed != null && !seed.isNull()) {
            if (!seed.isIntegralNumber()) {
                throw ApiException.badRequest("seed", "seed must be an integer");
            }
            p.seed(seed.asLong());
        }
        JsonNode stop = body.get("stop");
        if (stop != null && !stop.isNull()) {
            List<String> stops = new ArrayList<>();
            if (stop.isTextual()) {
                stops.add(stop.asText());
            } else if (stop.isArray() && stop.size() <= 4) {
                for (JsonNode s : stop) {
                    if (!s.isTextual()) {
                        throw ApiException.badRequest("stop", "stop must be a string or an array of up to 4"
                                + " strings");
                    }
                    stops.add(s.asText());
                }
            } else {
                throw ApiException.badRequest("stop", "stop must be a string or an array of up to 4 strings");
            }
            if (stops.stream().anyMatch(String::isEmpty)) {
                throw ApiException.badRequest("stop", "stop strings must not be empty");
            }
            p.stopSequences(stops);
        }
        return p;
    }

    private static String model(ObjectNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            return null;
        }
        if (!model.isTextual()) {
            throw ApiException.badRequest("model", "model must be a string");
        }
        return model.asText();
    }

    private static boolean stream(ObjectNode body) {
        JsonNode stream = body.get("stream");
        if (stream == null || stream.isNull()) {
            return false;
        }
        if (!stream.isBoolean()) {
            throw ApiException.badRequest("stream", "stream must be true or false");
        }
        return stream.asBoolean();
    }

    private static boolean includeUsage(ObjectNode body) {
        return body.path("stream_options").path("include_usage").asBoolean(false);
    }

    private static Integer intField(ObjectNode body, String field, int min, int max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw ApiException.badRequest(field, field + " must be an integer from " + min + " to " + max + ", got "
                    + node);
        }
        return node.asInt();
    }

    private static Double doubleField(ObjectNode body, String field, double min, double max, boolean minInclusive) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        double v = node.asDouble();
        if (!node.isNumber() || v > max || v < min || (!minInclusive && v == min)) {
            throw ApiException.badRequest(field, field + " must be a number " + (minInclusive ? "from " : "above ")
                    + min + (minInclusive ? " to " : " up to ") + max + ", got " + node);
        }
        return v;
    }

    private static ApiException unsupported(String param, String message) {
        return new ApiException(400, "invalid_request_error", "unsupported_parameter", param, message);
    }
}
