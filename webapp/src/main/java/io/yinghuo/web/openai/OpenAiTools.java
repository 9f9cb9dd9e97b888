package io.yinghuo.web.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's tool calling and structured output fields of a chat request, and the tool calls of a response
 * (platform.openai.com/docs/api-reference/chat): {@code tools} (functions with JSON Schema parameters),
 * {@code tool_choice} ({@code none}, {@code auto}, {@code required} or one named function), {@code response_format}
 * ({@code text}, {@code json_object}, {@code json_schema}), assistant messages with {@code tool_calls} and
 * {@code tool} messages with their results. The model generates calls and JSON under a grammar (the provider's
 * constrained decoding), so a call names an offered function and its arguments are valid against its schema.
 */
final class OpenAiTools {

    private OpenAiTools() {
    }

    /** Sets the tools, the tool choice and the response format of {@code body} on {@code parameters}. */
    static void apply(ObjectNode body, YinghuoChatRequestParameters.Builder parameters) {
        List<ToolSpecification> tools = tools(body.get("tools"));
        JsonNode choice = body.get("tool_choice");
        ToolChoice toolChoice = null;
        if (choice != null && !choice.isNull()) {
            if (choice.isTextual()) {
                toolChoice = switch (choice.asText()) {
                    case "none" -> ToolChoice.NONE;
                    case "auto" -> ToolChoice.AUTO;
                    case "required" -> ToolChoice.REQUIRED;
                    default -> throw ApiException.badRequest("tool_choice", "tool_choice must be none, auto, required"
                            + " or {\"type\":\"function\",\"function\":{\"name\":…}}, got " + choice);
                };
            } else {
                String name = choice.path("function").path("name").asText("");
                tools = tools.stream().filter(tool -> tool.name().equals(name)).toList();
                if (tools.isEmpty()) {
                    throw ApiException.badRequest("tool_choice", "tool_choice names the function \"" + name
                            + "\", which is not in tools");
                }
                toolChoice = ToolChoice.REQUIRED;
            }
        }
        if (toolChoice == ToolChoice.REQUIRED && tools.isEmpty()) {
            throw ApiException.badRequest("tool_choice", "tool_choice \"required\" needs at least one tool");
        }
        if (!tools.isEmpty()) {
            parameters.toolSpecifications(tools);
        }
        if (toolChoice != null) {
            parameters.toolChoice(toolChoice);
        }
        ResponseFormat format = responseFormat(body.get("response_format"));
        if (format != null) {
            parameters.responseFormat(format);
        }
    }

    /** {@code parallel_tool_calls} (default true); false keeps only the first call of an answer. */
    static boolean parallelToolCalls(ObjectNode body) {
        JsonNode parallel = body.get("parallel_tool_calls");
        if (parallel == null || parallel.isNull()) {
            return true;
        }
        if (!parallel.isBoolean()) {
            throw ApiException.badRequest("parallel_tool_calls", "parallel_tool_calls must be true or false");
        }
        return parallel.asBoolean();
    }

    private static List<ToolSpecification> tools(JsonNode tools) {
        List<ToolSpecification> specifications = new ArrayList<>();
        if (tools == null || tools.isNull()) {
            return specifications;
        }
        if (!tools.isArray()) {
            throw ApiException.badRequest("tools", "tools must be an array of {\"type\":\"function\",\"function\":…}");
        }
        for (int i = 0; i < tools.size(); i++) {
            String where = "tools[" + i + "]";
            JsonNode tool = tools.get(i);
            if (!"function".equals(tool.path("type").asText())) {
                throw ApiException.badRequest(where + ".type", "only tools of type \"function\" are supported");
            }
            JsonNode function = tool.path("function");
            String name = function.path("name").asText("");
            if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw ApiException.badRequest(where + ".function.name", "a function name must be 1-64 letters,"
                        + " digits, _ or -, got " + function.get("name"));
            }
            specifications.add(ToolSpecification.builder().name(name)
                    .description(function.path("description").isTextual() ? function.get("description").asText()
                            : null)
                    .parameters(FunctionSchemas.parameters(function.get("parameters"),
                            where + ".function.parameters"))
                    .build());
        }
        return specifications;
    }

    private static ResponseFormat responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        String type = format.path("type").asText("");
        return switch (type) {
            case "text" -> null;
            case "json_object" -> ResponseFormat.JSON;
            case "json_schema" -> {
                JsonNode spec = format.path("json_schema");
                if (!spec.path("schema").isObject()) {
                    throw ApiException.badRequest("response_format.json_schema.schema",
                            "response_format json_schema needs a schema object");
                }
                yield ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(JsonSchema.builder()
                        .name(spec.path("name").asText("response"))
                        .rootElement(JsonRawSchema.from(Json.write(spec.get("schema")))).build()).build();
            }
            default -> throw ApiException.badRequest("response_format.type", "response_format type must be text,"
                    + " json_object or json_schema, got " + format.get("type"));
        };
    }

    /** An assistant message with {@code tool_calls}; remembers each call's function name by its id. */
    static ChatMessage assistantCalls(JsonNode message, String where, Map<String, String> namesById) {
        List<ToolExecutionRequest> requests = new ArrayList<>();
        JsonNode calls = message.get("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String id = call.path("id").asText("");
            String name = call.path("function").path("name").asText("");
            JsonNode arguments = call.path("function").path("arguments");
            if (id.isEmpty() || name.isEmpty() || !arguments.isTextual()) {
                throw ApiException.badRequest(where + ".tool_calls[" + i + "]", "a tool call needs an id and a"
                        + " function with a name and arguments (a JSON string)");
            }
            namesById.put(id, name);
            requests.add(ToolExecutionRequest.builder().id(id).name(name).arguments(arguments.asText()).build());
        }
        String text = message.path("content").isTextual() ? message.get("content").asText() : null;
        return text == null || text.isEmpty() ? AiMessage.from(requests) : AiMessage.from(text, requests);
    }

    /** A {@code tool} message: the result of the call it names by {@code tool_call_id}. */
    static ChatMessage toolResult(JsonNode message, String content, String where, Map<String, String> namesById) {
        String id = message.path("tool_call_id").asText("");
        String name = namesById.get(id);
        if (name == null) {
            throw ApiException.badRequest(where + ".tool_call_id", "tool_call_id " + message.get("tool_call_id")
                    + " answers no tool call of an earlier assistant message");
        }
        return ToolExecutionResultMessage.from(id, name, content);
    }

    /** The response's {@code tool_calls}: {@code [{id, type: "function", function: {name, arguments}}]}. */
    static ArrayNode toolCalls(List<ToolExecutionRequest> requests, boolean withIndex) {
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (int i = 0; i < requests.size(); i++) {
            ToolExecutionRequest request = requests.get(i);
            ObjectNode call = calls.addObject();
            if (withIndex) {
                call.put("index", i);
            }
            call.put("id", request.id());
            call.put("type", "function");
            ObjectNode function = call.putObject("function");
            function.put("name", request.name());
            function.put("arguments", request.arguments());
        }
        return calls;
    }

    /** The calls a response returns: all of them, or the first only when parallel calls are off. */
    static List<ToolExecutionRequest> returned(AiMessage message, boolean parallel) {
        List<ToolExecutionRequest> all = message.toolExecutionRequests();
        return parallel || all.size() <= 1 ? all : all.subList(0, 1);
    }
}
