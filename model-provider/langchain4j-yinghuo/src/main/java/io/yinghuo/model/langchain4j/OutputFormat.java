package io.yinghuo.model.langchain4j;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import io.yinghuo.model.constrain.JsonGrammar;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The form a request's answer must take: free text, JSON (any object, or valid against a schema) or a tool call
 * ({@link ToolCallFormat}). A JSON or tool answer is generated under a grammar ({@link JsonGrammar}): the engine
 * masks every token that would leave the grammar, so an answer that ends normally always parses and validates, and
 * one cut by the token limit is reported with finish reason LENGTH.
 *
 * <p>The model is also told, in the system prompt, what to write ({@link #instruction}): the grammar guarantees the
 * form, the instruction helps the content (property names and values the model understands).
 *
 * @param grammar     the grammar of the answer, or null for free text
 * @param tools       the offered tools, or null when the answer cannot call one
 * @param instruction what the prompt says about the answer's form, or null
 * @param schema      the JSON Schema of a structured answer (inside {@code "response"} when tools are offered too),
 *                    or null
 */
record OutputFormat(JsonGrammar grammar, ToolCallFormat tools, String instruction, ObjectNode schema) {

    static final OutputFormat TEXT = new OutputFormat(null, null, null, null);

    /** Compiled grammars by schema text: AI services send the same schema with every call. */
    private static final Map<String, JsonGrammar> GRAMMARS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 256;

    /**
     * @throws UnsupportedFeatureException for a schema keyword outside the supported subset (named in the message)
     * @throws IllegalArgumentException    for ToolChoice.REQUIRED without tools, or a malformed schema
     */
    static OutputFormat of(ChatRequestParameters parameters) {
        ObjectNode schema = jsonSchema(parameters.responseFormat());
        boolean json = parameters.responseFormat() != null
                && parameters.responseFormat().type() == ResponseFormatType.JSON;
        List<ToolSpecification> specifications = parameters.toolSpecifications();
        boolean offerTools = specifications != null && !specifications.isEmpty()
                && parameters.toolChoice() != ToolChoice.NONE;
        if (parameters.toolChoice() == ToolChoice.REQUIRED && !offerTools) {
            throw new IllegalArgumentException("ToolChoice.REQUIRED needs at least one tool specification");
        }
        if (offerTools) {
            ToolCallFormat tools = new ToolCallFormat(specifications, parameters.toolChoice() == ToolChoice.REQUIRED);
            ObjectNode answer = tools.answerSchema(json ? responseSchema(schema) : null);
            String instruction = tools.instruction() + (!json ? "" : schema == null
                    ? "\n直接回答时，response 的值是一个 JSON 对象。"
                    : "\n直接回答时，response 的值必须符合下面的 JSON Schema：\n" + ToolCallFormat.compact(schema));
            return new OutputFormat(grammar(answer), tools, instruction, schema);
        }
        if (!json) {
            return TEXT;
        }
        if (schema == null) {
            return new OutputFormat(JsonGrammar.anyObject(), null, jsonInstruction(null), null);
        }
        return new OutputFormat(grammar(schema), null, jsonInstruction(schema), schema);
    }

    boolean constrained() {
        return grammar != null;
    }

    private static ObjectNode jsonSchema(ResponseFormat format) {
        if (format == null || format.type() != ResponseFormatType.JSON || format.jsonSchema() == null
                || format.jsonSchema().rootElement() == null) {
            return null;
        }
        return JsonSchemas.toJsonSchema(format.jsonSchema().rootElement());
    }

    /** The schema of the {@code "response"} value when the answer may call tools: any object without a schema. */
    private static ObjectNode responseSchema(ObjectNode schema) {
        if (schema != null) {
            return schema;
        }
        ObjectNode anyObject = JsonSchemas.MAPPER.createObjectNode();
        anyObject.put("type", "object");
        return anyObject;
    }

    private static String jsonInstruction(ObjectNode schema) {
        return schema == null ? "请只输出一个 JSON 对象，不要输出其他文字。"
                : "请只输出符合下面 JSON Schema 的 JSON，不要输出其他文字：\n" + ToolCallFormat.compact(schema);
    }

    private static JsonGrammar grammar(ObjectNode schema) {
        String key = ToolCallFormat.compact(schema);
        JsonGrammar cached = GRAMMARS.get(key);
        if (cached != null) {
            return cached;
        }
        JsonGrammar compiled;
        try {
            compiled = JsonGrammar.forSchema(schema);
        } catch (IllegalArgumentException e) {
            if (String.valueOf(e.getMessage()).startsWith("unsupported JSON Schema keyword")) {
                throw new UnsupportedFeatureException(e.getMessage() + " (constrained decoding supports objects,"
                        + " arrays, enums, strings, numbers, integers, booleans, null, anyOf and $ref)");
            }
            throw e;
        }
        if (GRAMMARS.size() >= MAX_CACHED) {
            GRAMMARS.clear(); // a crude bound: schemas are few in practice, and recompiling is cheap
        }
        GRAMMARS.put(key, compiled);
        return compiled;
    }
}
