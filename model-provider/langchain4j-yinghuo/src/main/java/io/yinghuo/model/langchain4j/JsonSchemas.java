package io.yinghuo.model.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;

import java.util.Map;

/**
 * LangChain4j's {@link JsonSchemaElement} tree as a JSON Schema document (draft 2020-12 keywords, as the OpenAI
 * provider sends it: {@code type}, {@code properties}, {@code required}, {@code additionalProperties}, {@code items},
 * {@code enum}, {@code anyOf}, {@code $ref} into {@code $defs}), the input of the engine's {@code JsonGrammar}.
 *
 * <p>Written here rather than taken from LangChain4j's {@code JsonSchemaElementUtils}, which is {@code @Internal}.
 * Descriptions are kept: they do not constrain the output, but the schema is also shown to the model.
 */
final class JsonSchemas {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonSchemas() {
    }

    /** @throws IllegalArgumentException for a raw schema that is not a JSON object, or an element type unknown here */
    static ObjectNode toJsonSchema(JsonSchemaElement element) {
        if (element instanceof JsonRawSchema raw) {
            try {
                JsonNode parsed = MAPPER.readTree(raw.schema());
                if (!(parsed instanceof ObjectNode object)) {
                    throw new IllegalArgumentException("a JSON schema must be a JSON object, got " + raw.schema());
                }
                return object;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("the raw JSON schema is not valid JSON: " + e.getOriginalMessage(),
                        e);
            }
        }
        ObjectNode node = MAPPER.createObjectNode();
        if (element instanceof JsonObjectSchema object) {
            node.put("type", "object");
            describe(node, object.description());
            ObjectNode properties = node.putObject("properties");
            if (object.properties() != null) {
                object.properties().forEach((name, value) -> properties.set(name, toJsonSchema(value)));
            }
            if (object.required() != null && !object.required().isEmpty()) {
                ArrayNode required = node.putArray("required");
                object.required().forEach(required::add);
            }
            if (object.additionalProperties() != null) {
                node.put("additionalProperties", object.additionalProperties());
            }
            definitions(node, object.definitions());
        } else if (element instanceof JsonArraySchema array) {
            node.put("type", "array");
            describe(node, array.description());
            if (array.items() != null) {
                node.set("items", toJsonSchema(array.items()));
            }
        } else if (element instanceof JsonEnumSchema enumeration) {
            node.put("type", "string");
            describe(node, enumeration.description());
            ArrayNode values = node.putArray("enum");
            enumeration.enumValues().forEach(values::add);
        } else if (element instanceof JsonAnyOfSchema anyOf) {
            describe(node, anyOf.description());
            ArrayNode options = node.putArray("anyOf");
            anyOf.anyOf().forEach(option -> options.add(toJsonSchema(option)));
        } else if (element instanceof JsonReferenceSchema reference) {
            node.put("$ref", "#/$defs/" + reference.reference());
        } else if (element instanceof JsonStringSchema string) {
            node.put("type", "string");
            describe(node, string.description());
        } else if (element instanceof JsonIntegerSchema integer) {
            node.put("type", "integer");
            describe(node, integer.description());
        } else if (element instanceof JsonNumberSchema number) {
            node.put("type", "number");
            describe(node, number.description());
        } else if (element instanceof JsonBooleanSchema bool) {
            node.put("type", "boolean");
            describe(node, bool.description());
        } else if (element instanceof JsonNullSchema) {
            node.put("type", "null");
        } else {
            throw new IllegalArgumentException("JSON schema element " + element.getClass().getSimpleName()
                    + " is not known to this provider");
        }
        return node;
    }

    private static void describe(ObjectNode node, String description) {
        if (description != null && !description.isBlank()) {
            node.put("description", description);
        }
    }

    private static void definitions(ObjectNode node, Map<String, JsonSchemaElement> definitions) {
        if (definitions != null && !definitions.isEmpty()) {
            ObjectNode defs = node.putObject("$defs");
            definitions.forEach((name, value) -> defs.set(name, toJsonSchema(value)));
        }
    }
}
