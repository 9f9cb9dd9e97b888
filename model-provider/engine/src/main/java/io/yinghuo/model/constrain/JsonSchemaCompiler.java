package io.yinghuo.model.constrain;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.yinghuo.model.constrain.JsonLexicon.ref;
import static io.yinghuo.model.constrain.JsonLexicon.seq;
import static io.yinghuo.model.constrain.JsonLexicon.whitespace;

/**
 * Compiles a JSON Schema (draft 2020-12 keywords, JSON Schema Core and Validation) into a grammar whose sentences are
 * JSON texts valid against it. The subset is what LangChain4j's {@code JsonSchemaElement} types express: type (one
 * or a list), properties / required / additionalProperties (boolean), items / minItems / maxItems, enum, const,
 * anyOf, and $ref to "#", "#/$defs/..." or "#/definitions/..." (recursion allowed). Annotations (title,
 * description, ...) are ignored; any other keyword is refused, because silently ignoring a constraint would let the
 * model produce JSON the caller's schema rejects.
 *
 * <p>Choices within what the schema allows (the output is always valid, but not every valid text is reachable):
 * properties appear in the order the schema lists them, optional ones may be left out; additionalProperties true
 * adds no undeclared properties; strings in enum/const and property names are written as Jackson writes them; an
 * object schema without properties (and without additionalProperties false) is any object.
 */
final class JsonSchemaCompiler {

    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$schema", "$id", "$comment",
            "default", "examples", "deprecated", "readOnly", "writeOnly", "$anchor");
    private static final Set<String> SUPPORTED = Set.of("type", "properties", "required", "additionalProperties",
            "items", "minItems", "maxItems", "enum", "const", "anyOf", "$ref", "$defs", "definitions");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;
    private final GrammarBuilder grammar = new GrammarBuilder();
    private final JsonLexicon lexicon = new JsonLexicon(grammar);
    private final Map<String, Integer> referenced = new HashMap<>();

    private JsonSchemaCompiler(JsonNode root) {
        this.root = root;
    }

    static Grammar compile(JsonNode schema) {
        JsonSchemaCompiler compiler = new JsonSchemaCompiler(schema);
        int rootRule = compiler.schema(schema, "root");
        return compiler.grammar.build(rootRule);
    }

    static Grammar anyValue() {
        GrammarBuilder builder = new GrammarBuilder();
        return builder.build(new JsonLexicon(builder).anyValue());
    }

    static Grammar anyObject() {
        GrammarBuilder builder = new GrammarBuilder();
        return builder.build(new JsonLexicon(builder).anyObject());
    }

    /** The rule for the values {@code schema} accepts. */
    private int schema(JsonNode schema, String path) {
        if (schema == null || schema.isMissingNode()) {
            throw new IllegalArgumentException("missing schema at " + path);
        }
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) {
                throw new IllegalArgumentException("schema false at " + path + " accepts no value");
            }
            return lexicon.anyValue();
        }
        if (!schema.isObject()) {
            throw new IllegalArgumentException("a schema must be an object or a boolean, got " + schema
                    + " at " + path);
        }
        checkKeywords(schema, path);
        if (schema.has("$ref")) {
            onlyAnnotationsBeside(schema, "$ref", path);
            return reference(schema.get("$ref"), path);
        }
        if (schema.has("anyOf")) {
            onlyAnnotationsBeside(schema, "anyOf", path);
            return anyOf(schema.get("anyOf"), path);
        }
        if (schema.has("const")) {
            return literals(List.of(schema.get("const")), path);
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            if (!values.isArray() || values.isEmpty()) {
                throw new IllegalArgumentException("enum must be a non-empty array at " + path);
            }
            List<JsonNode> list = new ArrayList<>();
            values.forEach(list::add);
            return literals(list, path);
        }
        JsonNode type = schema.get("type");
        if (type == null) {
            return untyped(schema, path);
        }
        if (type.isTextual()) {
            return typed(type.textValue(), schema, path);
        }
        if (type.isArray() && !type.isEmpty()) {
            int rule = grammar.newRule(path + "|types");
            for (JsonNode t : type) {
                if (!t.isTextual()) {
                    throw new IllegalArgumentException("type must name types, got " + t + " at " + path);
                }
                grammar.addAlternative(rule, seq(ref(typed(t.textValue(), schema, path))));
            }
            return rule;
        }
        throw new IllegalArgumentException("type must be a string or a non-empty array, got " + type + " at " + path);
    }

    /**
     * No "type": object keywords apply to objects only and array keywords to arrays only, so any value would do; but
     * a generated object or array must still meet them, so such a schema is read as that type.
     */
    private int untyped(JsonNode schema, String path) {
        boolean objectKeywords = schema.has("properties") || schema.has("required")
                || schema.has("additionalProperties");
        boolean arrayKeywords = schema.has("items") || schema.has("minItems") || schema.has("maxItems");
        if (objectKeywords && arrayKeywords) {
            throw new IllegalArgumentException("a schema without type mixes object and array keywords at " + path);
        }
        if (objectKeywords) {
            return object(schema, path);
        }
        return arrayKeywords ? array(schema, path) : lexicon.anyValue();
    }

    private static void checkKeywords(JsonNode schema, String path) {
        Iterator<String> names = schema.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!SUPPORTED.contains(name) && !ANNOTATIONS.contains(name)) {
                throw new IllegalArgumentException("unsupported JSON Schema keyword: " + name + " (at " + path + ")");
            }
        }
    }

    private static void onlyAnnotationsBeside(JsonNode schema, String keyword, String path) {
        Iterator<String> names = schema.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals(keyword) && !ANNOTATIONS.contains(name) && !name.equals("$defs")
                    && !name.equals("definitions")) {
                throw new IllegalArgumentException("unsupported JSON Schema keyword: " + name + " beside " + keyword
                        + " (at " + path + ")");
            }
        }
    }

    private int typed(String type, JsonNode schema, String path) {
        return switch (type) {
            case "string" -> lexicon.string();
            case "integer" -> lexicon.integer();
            case "number" -> lexicon.number();
            case "boolean" -> lexicon.bool();
            case "null" -> lexicon.nul();
            case "object" -> object(schema, path);
            case "array" -> array(schema, path);
            default -> throw new IllegalArgumentException("unsupported JSON Schema type: " + type + " (at " + path
                    + ")");
        };
    }

    /**
     * Declared properties in the schema's order, each optional one may be left out: rule {@code members(i, any)}
     * matches the members from property i on, {@code any} telling whether a member came before (then a comma
     * leads). {@code '{' ws members(0, false) '}'}, a member being {@code "name" ':' ws value ws}.
     */
    private int object(JsonNode schema, String path) {
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && !additional.isBoolean()) {
            throw new IllegalArgumentException("unsupported JSON Schema keyword: additionalProperties with a schema"
                    + " (only true or false) (at " + path + ")");
        }
        boolean closed = additional != null && !additional.booleanValue();
        if ((properties == null || properties.isEmpty()) && !closed) {
            if (schema.has("required") && !schema.get("required").isEmpty()) {
                throw new IllegalArgumentException("required names properties that are not declared at " + path);
            }
            return lexicon.anyObject();
        }
        if (properties != null && !properties.isObject()) {
            throw new IllegalArgumentException("properties must be an object at " + path);
        }
        List<String> names = new ArrayList<>();
        if (properties != null) {
            properties.fieldNames().forEachRemaining(names::add);
        }
        Set<String> required = new LinkedHashSet<>();
        JsonNode requiredNode = schema.get("required");
        if (requiredNode != null) {
            if (!requiredNode.isArray()) {
                throw new IllegalArgumentException("required must be an array at " + path);
            }
            for (JsonNode r : requiredNode) {
                if (!r.isTextual() || !names.contains(r.textValue())) {
                    throw new IllegalArgumentException("required names " + r + ", which is not a declared property"
                            + " (at " + path + ")");
                }
                required.add(r.textValue());
            }
        }
        int n = names.size();
        int[] valueRules = new int[n];
        for (int i = 0; i < n; i++) {
            valueRules[i] = schema(properties.get(names.get(i)), path + "/properties/" + names.get(i));
        }
        // members[i][0]: from property i on, nothing before; members[i][1]: something before.
        int[][] members = new int[n + 1][2];
        for (int any = 0; any < 2; any++) {
            members[n][any] = grammar.rule(path + "-end", seq());
        }
        for (int i = n - 1; i >= 0; i--) {
            String key = names.get(i);
            List<GrammarElement> member = seq(literal(key), ":", whitespace(), ref(valueRules[i]), whitespace());
            for (int any = 0; any < 2; any++) {
                int rule = grammar.newRule(path + "-members-" + i + (any == 1 ? "-after" : ""));
                grammar.addAlternative(rule, seq(any == 1 ? seq(",", whitespace()) : seq(), member,
                        ref(members[i + 1][1])));
                if (!required.contains(key)) {
                    grammar.addAlternative(rule, seq(ref(members[i + 1][any])));
                }
                members[i][any] = rule;
            }
        }
        return grammar.rule(path + "-object", seq("{", whitespace(), ref(members[0][0]), "}"));
    }

    private int array(JsonNode schema, String path) {
        JsonNode items = schema.get("items");
        if (items != null && items.isArray()) {
            throw new IllegalArgumentException("unsupported JSON Schema keyword: items as an array (tuple) (at "
                    + path + ")");
        }
        int item = items == null ? lexicon.anyValue() : schema(items, path + "/items");
        int min = count(schema, "minItems", 0, path);
        int max = count(schema, "maxItems", -1, path);
        if (max >= 0 && max < min) {
            throw new IllegalArgumentException("maxItems " + max + " < minItems " + min + " at " + path);
        }
        int rule = grammar.newRule(path + "-array");
        grammar.addAlternative(rule, ArrayRules.array(grammar, path, item, min, max));
        return rule;
    }

    private static int count(JsonNode schema, String keyword, int absent, String path) {
        JsonNode node = schema.get(keyword);
        if (node == null) {
            return absent;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 0) {
            throw new IllegalArgumentException(keyword + " must be a non-negative integer at " + path);
        }
        return node.intValue();
    }

    private int anyOf(JsonNode branches, String path) {
        if (!branches.isArray() || branches.isEmpty()) {
            throw new IllegalArgumentException("anyOf must be a non-empty array at " + path);
        }
        int rule = grammar.newRule(path + "|anyOf");
        for (int i = 0; i < branches.size(); i++) {
            grammar.addAlternative(rule, seq(ref(schema(branches.get(i), path + "/anyOf/" + i))));
        }
        return rule;
    }

    /** enum / const: the values as Jackson writes them (compact; strings with only the escapes JSON requires). */
    private int literals(List<JsonNode> values, String path) {
        int rule = grammar.newRule(path + "|enum");
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode value : values) {
            try {
                seen.add(JSON.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write enum value " + value + " at " + path, e);
            }
        }
        for (String text : seen) {
            grammar.addAlternative(rule, seq(text));
        }
        return rule;
    }

    private static String literal(String key) {
        try {
            return JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write property name " + key, e);
        }
    }

    /** A $ref inside this document: "#" or a JSON Pointer fragment such as "#/$defs/Person". */
    private int reference(JsonNode refNode, String path) {
        if (!refNode.isTextual() || !refNode.textValue().startsWith("#")) {
            throw new IllegalArgumentException("unsupported $ref " + refNode + " at " + path
                    + " (only references inside the schema, starting with #)");
        }
        String ref = refNode.textValue();
        Integer known = referenced.get(ref);
        if (known != null) {
            return known;
        }
        JsonNode target;
        try {
            target = ref.equals("#") ? root : root.at(JsonPointer.compile(ref.substring(1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed $ref " + ref + " at " + path, e);
        }
        if (target == null || target.isMissingNode()) {
            throw new IllegalArgumentException("unresolvable $ref " + ref + " at " + path);
        }
        // The rule exists before its body is compiled, so the body may refer back to it (recursive schemas).
        int rule = grammar.newRule(ref);
        referenced.put(ref, rule);
        grammar.addAlternative(rule, seq(ref(schema(target, ref))));
        return rule;
    }
}
