package io.yinghuo.model.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How tools are offered to a model that was not trained for tool calling (Chinese-Alpaca-2, Firefly-LLaMA2) and how
 * its calls are read back. The format follows the "generic" tool format of llama.cpp's chat handlers for such
 * models: the tools are described in the system prompt, and the answer is one JSON object, generated under a
 * grammar that admits exactly
 * <pre>
 *   {"tool_calls": [{"name": "&lt;a tool's name&gt;", "arguments": {&lt;that tool's parameters&gt;}}, …]}
 *   {"response": "&lt;the answer to the user&gt;"}          (not with ToolChoice.REQUIRED)
 * </pre>
 * so a call always names an offered tool and carries arguments valid against its parameter schema, whatever the
 * weights. In the conversation, an AI message's tool calls are written back in the same form, and a tool's result
 * becomes a user turn "工具 NAME 的结果：TEXT" (the templates have no tool role; consecutive results are merged into
 * one turn).
 */
final class ToolCallFormat {

    static final String TOOL_CALLS = "tool_calls";
    static final String RESPONSE = "response";
    /** Calls per answer: enough for parallel calls, bounded so a weak model cannot list calls until the limit. */
    static final int MAX_CALLS = 8;

    private final List<ToolSpecification> tools;
    private final boolean required;

    ToolCallFormat(List<ToolSpecification> tools, boolean required) {
        if (tools.isEmpty()) {
            throw new IllegalArgumentException("no tools to offer");
        }
        this.tools = List.copyOf(tools);
        this.required = required;
    }

    boolean required() {
        return required;
    }

    /**
     * The JSON Schema of every admissible answer (see the class comment).
     *
     * @param responseSchema the schema of the {@code "response"} value when the answer is structured (a JSON
     *                       response format together with tools), or null for text
     */
    ObjectNode answerSchema(ObjectNode responseSchema) {
        ObjectNode root = JsonSchemas.MAPPER.createObjectNode();
        ObjectNode defs = JsonSchemas.MAPPER.createObjectNode();
        ArrayNode calls = JsonSchemas.MAPPER.createArrayNode();
        for (ToolSpecification tool : tools) {
            ObjectNode call = calls.addObject();
            call.put("type", "object");
            ObjectNode properties = call.putObject("properties");
            properties.putObject("name").put("const", tool.name());
            properties.set("arguments", hoistDefinitions(parameters(tool), defs, "tool " + tool.name()));
            call.putArray("required").add("name").add("arguments");
            call.put("additionalProperties", false);
        }
        ObjectNode callList = JsonSchemas.MAPPER.createObjectNode();
        callList.put("type", "object");
        ObjectNode list = callList.putObject("properties").putObject(TOOL_CALLS);
        list.put("type", "array").put("minItems", 1).put("maxItems", MAX_CALLS);
        list.putObject("items").set("anyOf", calls);
        callList.putArray("required").add(TOOL_CALLS);
        callList.put("additionalProperties", false);
        if (required) {
            root.setAll(callList);
        } else {
            ObjectNode response = JsonSchemas.MAPPER.createObjectNode();
            response.put("type", "object");
            ObjectNode value = responseSchema == null ? JsonSchemas.MAPPER.createObjectNode().put("type", "string")
                    : hoistDefinitions(responseSchema.deepCopy(), defs, "the response format");
            response.putObject("properties").set(RESPONSE, value);
            response.putArray("required").add(RESPONSE);
            response.put("additionalProperties", false);
            root.putArray("anyOf").add(callList).add(response);
        }
        if (!defs.isEmpty()) {
            root.set("$defs", defs);
        }
        return root;
    }

    /** What the system prompt says about the tools and the answer's form. */
    String instruction() {
        StringBuilder text = new StringBuilder("你可以使用下列工具。回答时只输出一个 JSON 对象：\n");
        text.append("- 需要调用工具时：{\"tool_calls\": [{\"name\": \"工具名\", \"arguments\": {参数}}]}\n");
        if (!required) {
            text.append("- 不需要工具、直接回答用户时：{\"response\": \"你的回答\"}\n");
        }
        text.append("工具：\n");
        for (ToolSpecification tool : tools) {
            text.append("- ").append(tool.name());
            if (tool.description() != null && !tool.description().isBlank()) {
                text.append("：").append(tool.description().strip());
            }
            text.append("\n  参数（JSON Schema）：").append(compact(parameters(tool))).append('\n');
        }
        return text.toString().stripTrailing();
    }

    /**
     * The generated answer (valid against {@link #answerSchema}) as an AI message: tool execution requests, each with
     * a fresh id and its arguments as compact JSON, or the response text.
     */
    static AiMessage parseAnswer(String json) {
        JsonNode answer;
        try {
            answer = JsonSchemas.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the constrained tool answer is not JSON: " + json, e);
        }
        if (answer.has(TOOL_CALLS)) {
            List<ToolExecutionRequest> requests = new ArrayList<>();
            for (JsonNode call : answer.get(TOOL_CALLS)) {
                requests.add(ToolExecutionRequest.builder()
                        .id(newCallId())
                        .name(call.get("name").asText())
                        .arguments(compact(call.get("arguments")))
                        .build());
            }
            return AiMessage.from(requests);
        }
        JsonNode response = answer.path(RESPONSE);
        return AiMessage.from(response.isTextual() ? response.asText() : compact(response)); // structured: its JSON
    }

    /** An AI message's tool calls as the model would have written them. */
    static String renderCalls(AiMessage message) {
        ObjectNode answer = JsonSchemas.MAPPER.createObjectNode();
        ArrayNode calls = answer.putArray(TOOL_CALLS);
        for (ToolExecutionRequest request : message.toolExecutionRequests()) {
            ObjectNode call = calls.addObject();
            call.put("name", request.name());
            call.set("arguments", argumentsNode(request.arguments()));
        }
        return compact(answer);
    }

    /** A tool's result as the user turn that follows the call. */
    static String renderResult(ToolExecutionResultMessage result) {
        return "工具 " + result.toolName() + " 的结果：" + (result.text() == null ? "" : result.text());
    }

    /** OpenAI-style call ids ("call_" and 24 hex digits), unique per call. */
    static String newCallId() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "call_" + HexFormat.of().formatHex(bytes);
    }

    private static JsonNode argumentsNode(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return JsonSchemas.MAPPER.createObjectNode();
        }
        try {
            return JsonSchemas.MAPPER.readTree(arguments);
        } catch (JsonProcessingException e) {
            return JsonSchemas.MAPPER.getNodeFactory().textNode(arguments); // written by someone else: kept as text
        }
    }

    private static ObjectNode parameters(ToolSpecification tool) {
        if (tool.parameters() == null) {
            ObjectNode none = JsonSchemas.MAPPER.createObjectNode();
            none.put("type", "object");
            none.putObject("properties");
            none.put("additionalProperties", false);
            return none;
        }
        return JsonSchemas.toJsonSchema(tool.parameters());
    }

    /**
     * Moves a tool's {@code $defs} to the answer schema's root, where {@code #/$defs/…} references resolve. Tools
     * built from the same classes share definitions; two different definitions under one name are refused.
     */
    private static ObjectNode hoistDefinitions(ObjectNode parameters, ObjectNode rootDefs, String tool) {
        JsonNode defs = parameters.remove("$defs");
        if (defs != null) {
            Iterator<Map.Entry<String, JsonNode>> entries = defs.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                JsonNode existing = rootDefs.get(entry.getKey());
                if (existing != null && !existing.equals(entry.getValue())) {
                    throw new IllegalArgumentException(tool + " defines \"" + entry.getKey()
                            + "\" differently from another tool; give the two types different names");
                }
                rootDefs.set(entry.getKey(), entry.getValue());
            }
        }
        return parameters;
    }

    static String compact(JsonNode node) {
        try {
            return JsonSchemas.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
