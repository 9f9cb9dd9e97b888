package io.yinghuo.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.checkpoint.ModelLoadException;

/** Typed access to the fields of a config object, with messages that name the source and the field. */
final class JsonFields {
    private final ObjectNode node;
    private final String source;

    JsonFields(ObjectNode node, String source) {
        this.node = node;
        this.source = source;
    }

    String source() {
        return source;
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    JsonNode get(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    int requiredInt(String field) {
        if (!has(field)) {
            throw new ModelLoadException(source + ": missing required field \"" + field + "\"");
        }
        return intValue(field, get(field));
    }

    int optionalInt(String field, int defaultValue) {
        return has(field) ? intValue(field, get(field)) : defaultValue;
    }

    int positiveInt(String field) {
        int v = requiredInt(field);
        if (v <= 0) {
            throw new ModelLoadException(source + ": \"" + field + "\" must be positive, found " + v);
        }
        return v;
    }

    double optionalDouble(String field, double defaultValue) {
        if (!has(field)) {
            return defaultValue;
        }
        JsonNode v = get(field);
        if (!v.isNumber()) {
            throw new ModelLoadException(source + ": \"" + field + "\" must be a number, found " + v);
        }
        return v.doubleValue();
    }

    boolean optionalBoolean(String field, boolean defaultValue) {
        if (!has(field)) {
            return defaultValue;
        }
        JsonNode v = get(field);
        if (!v.isBoolean()) {
            throw new ModelLoadException(source + ": \"" + field + "\" must be true or false, found " + v);
        }
        return v.booleanValue();
    }

    /** A string field, lower-cased; null when absent. */
    String optionalLowerString(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode v = get(field);
        if (!v.isTextual()) {
            throw new ModelLoadException(source + ": \"" + field + "\" must be a string, found " + v);
        }
        return v.textValue().toLowerCase(java.util.Locale.ROOT);
    }

    private int intValue(String field, JsonNode v) {
        // 4096 and 4096.0 both occur in hand-edited configs; anything fractional is a mistake.
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())
                && Math.abs(v.doubleValue()) <= Integer.MAX_VALUE) {
            return (int) v.doubleValue();
        }
        throw new ModelLoadException(source + ": \"" + field + "\" must be an integer, found " + v);
    }
}
