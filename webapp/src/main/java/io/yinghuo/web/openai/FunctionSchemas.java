package io.yinghuo.web.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import io.yinghuo.web.ApiException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAI function's {@code parameters} (a JSON Schema object) as LangChain4j's {@link JsonObjectSchema}, which is
 * what a {@code ToolSpecification} holds. The subset is the one the model's constrained decoding enforces; any other
 * assertion keyword is refused by name (a keyword silently dropped would let the model write arguments the client
 * does not expect). Annotations ({@code description}, {@code title}, {@code format}, {@code default}, …) carry no
 * constraint in JSON Schema 2020-12 (section 7.2 of its validation vocabulary for {@code format}) and are accepted.
 */
final class FunctionSchemas {

    private static final Set<String> SUPPORTED = Set.of("type", "properties", "required", "additionalProperties",
            "items", "enum", "anyOf", "$ref", "$defs", "definitions");
    private static final Set<String> ANNOTATIONS = Set.of("description", "title", "format", "default", "examples",
            "$schema", "$id", "$comment", "deprecated", "readOnly", "writeOnly", "strict");

    private FunctionSchemas() {
    }

    /** @param where the request field, for the error, e.g. {@code tools[0].function.parameters} */
    static JsonObjectSchema parameters(JsonNode schema, String where) {
        if (schema == null || schema.isNull()) {
            return JsonObjectSchema.builder().build();
        }
        JsonSchemaElement element = element(schema, where);
        if (!(element instanceof JsonObjectSchema object)) {
            throw ApiException.badRequest(where, where + " must be a JSON Schema of type object");
        }
        return object;
    }

    private static JsonSchemaElement element(JsonNode schema, String where) {
        if (!schema.isObject()) {
            throw ApiException.badRequest(where, where + " must be a JSON Schema object");
        }
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SUPPORTED.contains(name) && !ANNOTATIONS.contains(name)) {
                throw new ApiException(400, "invalid_request_error", "unsupported_parameter", where,
                        "unsupported JSON Schema keyword \"" + name + "\" in " + where + "; supported: "
                                + String.join(", ", new java.util.TreeSet<>(SUPPORTED)));
            }
        }
        String description = schema.path("description").isTextual() ? schema.get("description").asText() : null;
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            String name = ref.startsWith("#/$defs/") ? ref.substring(8)
                    : ref.startsWith("#/definitions/") ? ref.substring(14) : null;
            if (name == null || name.isBlank()) {
                throw ApiException.badRequest(where, "only references to #/$defs/NAME are supported in " + where
                        + ", got " + ref);
            }
            return JsonReferenceSchema.builder().reference(name).build();
        }
        if (schema.has("anyOf")) {
            if (!schema.get("anyOf").isArray() || schema.get("anyOf").isEmpty()) {
                throw ApiException.badRequest(where, "anyOf must be a non-empty array of schemas in " + where);
            }
            List<JsonSchemaElement> options = new ArrayList<>();
            for (int i = 0; i < schema.get("anyOf").size(); i++) {
                options.add(element(schema.get("anyOf").get(i), where + ".anyOf[" + i + "]"));
            }
            return JsonAnyOfSchema.builder().description(description).anyOf(options).build();
        }
        if (schema.has("enum")) {
            if (!schema.get("enum").isArray() || schema.get("enum").isEmpty()) {
                throw ApiException.badRequest(where, "enum must be a non-empty array of strings in " + where);
            }
            List<String> values = new ArrayList<>();
            for (JsonNode value : schema.get("enum")) {
                if (!value.isTextual()) {
                    throw ApiException.badRequest(where, "only string enums are supported in " + where);
                }
                values.add(value.asText());
            }
            return JsonEnumSchema.builder().description(description).enumValues(values).build();
        }
        String type = schema.path("type").asText("object");
        return switch (type) {
            case "object" -> object(schema, where, description);
            case "array" -> JsonArraySchema.builder().description(description)
                    .items(schema.has("items") ? element(schema.get("items"), where + ".items")
                            : JsonStringSchema.builder().build()).build();
            case "string" -> JsonStringSchema.builder().description(description).build();
            case "integer" -> JsonIntegerSchema.builder().description(description).build();
            case "number" -> JsonNumberSchema.builder().description(description).build();
            case "boolean" -> JsonBooleanSchema.builder().description(description).build();
            case "null" -> new JsonNullSchema();
            default -> throw ApiException.badRequest(where, "unsupported JSON Schema type " + schema.get("type")
                    + " in " + where);
        };
    }

    private static JsonObjectSchema object(JsonNode schema, String where, String description) {
        Map<String, JsonSchemaElement> properties = new LinkedHashMap<>();
        JsonNode declared = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            properties.put(property.getKey(), element(property.getValue(),
                    where + ".properties." + property.getKey()));
        }
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        Map<String, JsonSchemaElement> definitions = new LinkedHashMap<>();
        for (String key : List.of("$defs", "definitions")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.path(key).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> definition = it.next();
                definitions.put(definition.getKey(), element(definition.getValue(),
                        where + "." + key + "." + definition.getKey()));
            }
        }
        JsonObjectSchema.Builder builder = JsonObjectSchema.builder().description(description)
                .addProperties(properties).required(required).definitions(definitions.isEmpty() ? null : definitions);
        if (schema.has("additionalProperties")) {
            if (!schema.get("additionalProperties").isBoolean()) {
                throw ApiException.badRequest(where, "additionalProperties must be true or false in " + where);
            }
            builder.additionalProperties(schema.get("additionalProperties").asBoolean());
        }
        return builder.build();
    }
}
