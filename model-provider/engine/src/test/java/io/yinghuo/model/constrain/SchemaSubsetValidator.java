package io.yinghuo.model.constrain;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * An independent validator for the JSON Schema subset the compiler supports (JSON Schema Validation 2020-12
 * semantics for type, properties, required, additionalProperties, items, minItems, maxItems, enum, const, anyOf,
 * $ref), written from the spec, not from the grammar, so that the property tests check the grammar against it.
 */
final class SchemaSubsetValidator {

    private final JsonNode root;

    SchemaSubsetValidator(JsonNode root) {
        this.root = root;
    }

    /** Null when valid, else why not. */
    String check(JsonNode value) {
        return check(value, root, "$");
    }

    private String check(JsonNode value, JsonNode schema, String at) {
        if (schema.isBoolean()) {
            return schema.booleanValue() ? null : at + ": schema false";
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").textValue();
            JsonNode target = ref.equals("#") ? root : root.at(JsonPointer.compile(ref.substring(1)));
            return check(value, target, at);
        }
        if (schema.has("anyOf")) {
            for (JsonNode branch : schema.get("anyOf")) {
                if (check(value, branch, at) == null) {
                    return null;
                }
            }
            return at + ": matches no anyOf branch: " + value;
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            return at + ": not the const " + schema.get("const");
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode option : schema.get("enum")) {
                found |= option.equals(value);
            }
            if (!found) {
                return at + ": " + value + " not in enum";
            }
        }
        JsonNode type = schema.get("type");
        if (type != null) {
            boolean typeMatches = false;
            if (type.isTextual()) {
                typeMatches = hasType(value, type.textValue());
            } else {
                for (JsonNode t : type) {
                    typeMatches |= hasType(value, t.textValue());
                }
            }
            if (!typeMatches) {
                return at + ": " + value + " is not of type " + type;
            }
        }
        if (value.isObject()) {
            String problem = checkObject(value, schema, at);
            if (problem != null) {
                return problem;
            }
        }
        if (value.isArray()) {
            return checkArray(value, schema, at);
        }
        return null;
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            // JSON Schema: an integer is a number with a zero fractional part
            case "integer" -> value.isIntegralNumber()
                    || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            default -> throw new IllegalArgumentException(type);
        };
    }

    private String checkObject(JsonNode value, JsonNode schema, String at) {
        JsonNode properties = schema.get("properties");
        Set<String> declared = new HashSet<>();
        if (properties != null) {
            properties.fieldNames().forEachRemaining(declared::add);
        }
        if (schema.has("required")) {
            for (JsonNode r : schema.get("required")) {
                if (!value.has(r.textValue())) {
                    return at + ": required property " + r + " missing";
                }
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        Iterator<String> names = value.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (declared.contains(name)) {
                String problem = check(value.get(name), properties.get(name), at + "." + name);
                if (problem != null) {
                    return problem;
                }
            } else if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
                return at + ": property " + name + " is not allowed";
            }
        }
        return null;
    }

    private String checkArray(JsonNode value, JsonNode schema, String at) {
        if (schema.has("minItems") && value.size() < schema.get("minItems").intValue()) {
            return at + ": fewer than minItems";
        }
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").intValue()) {
            return at + ": more than maxItems";
        }
        if (schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                String problem = check(value.get(i), schema.get("items"), at + "[" + i + "]");
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }
}
