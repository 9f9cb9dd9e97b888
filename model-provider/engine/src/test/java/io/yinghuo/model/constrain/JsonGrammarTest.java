package io.yinghuo.model.constrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The byte-level language of compiled schemas: what is accepted, what is refused, which schemas are refused. */
class JsonGrammarTest {

    private static JsonGrammar schema(String json) {
        try {
            return JsonGrammar.forSchema(ConstrainedRun.STRICT.readTree(json));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static final String PERSON = """
            {"type":"object","title":"Person","description":"ignored",
             "properties":{"name":{"type":"string","description":"姓名"},"age":{"type":"integer"},
               "email":{"type":"string"},"tags":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2},
               "role":{"type":"string","enum":["admin","用户","say \\"hi\\""]},"score":{"type":"number"},
               "ok":{"type":"boolean"},"none":{"type":"null"}},
             "required":["name","age"],"additionalProperties":false}""";

    @Test
    void objectsFollowTheDeclaredOrderAndMayOmitOptionalProperties() {
        JsonGrammar g = schema(PERSON);
        assertTrue(g.matches("{\"name\":\"张三\",\"age\":30}"));
        assertTrue(g.matches("{\"name\":\"\",\"age\":-0,\"tags\":[\"a\"],\"role\":\"用户\"}"));
        assertTrue(g.matches("{\"name\":\"x\",\"age\":1,\"email\":\"e\",\"tags\":[\"a\",\"b\"],"
                + "\"role\":\"say \\\"hi\\\"\",\"score\":-1.5e+10,\"ok\":false,\"none\":null}"));
        assertTrue(g.matches("{\n  \"name\": \"x\",\n  \"age\": 1\n}"));
        assertFalse(g.matches("{\"age\":1,\"name\":\"x\"}"), "declared order");
        assertFalse(g.matches("{\"name\":\"x\"}"), "required age");
        assertFalse(g.matches("{\"name\":\"x\",\"age\":1,\"other\":1}"), "additionalProperties false");
        assertFalse(g.matches("{\"name\":\"x\",\"age\":1.5}"), "integer");
        assertFalse(g.matches("{\"name\":\"x\",\"age\":01}"), "no leading zero (RFC 8259)");
        assertFalse(g.matches("{\"name\":\"x\",\"age\":1,\"tags\":[]}"), "minItems");
        assertFalse(g.matches("{\"name\":\"x\",\"age\":1,\"tags\":[\"a\",\"b\",\"c\"]}"), "maxItems");
        assertFalse(g.matches("{\"name\":\"x\",\"age\":1,\"role\":\"root\"}"), "enum");
        assertFalse(g.matches("{\"name\":\"x\",\"age\":1,}"), "trailing comma");
        assertFalse(g.matches(" {\"name\":\"x\",\"age\":1}"), "no whitespace before the value");
        assertFalse(g.matches("{\"name\":\"x\",\"age\":1} "), "nor after it");
        assertTrue(g.matchesPrefix("{\"name\":\"张"));
    }

    @Test
    void whitespaceRunsAreBounded() {
        JsonGrammar g = JsonGrammar.anyValue();
        String spaces = " ".repeat(JsonLexicon.MAX_WHITESPACE);
        assertTrue(g.matches("[" + spaces + "1]"));
        assertFalse(g.matchesPrefix("[" + spaces + " "));
        assertFalse(g.matchesPrefix("[\t"), "tabs are valid JSON but not generated");
    }

    @Test
    void numbersAreBounded() {
        JsonGrammar g = JsonGrammar.anyValue();
        assertTrue(g.matches("1234567890123456"));
        assertFalse(g.matchesPrefix("12345678901234567"));
        assertTrue(g.matches("-0.5E-123"));
        assertFalse(g.matchesPrefix("1e1234"));
        assertFalse(g.matchesPrefix("1."  + "}"));
        assertFalse(g.matchesPrefix("+1"));
    }

    @Test
    void stringsHoldWellFormedUtf8AndJsonEscapesOnly() {
        JsonGrammar g = schema("{\"type\":\"string\"}");
        assertTrue(g.matches("\"中文 😀 \\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u4e2D\""));
        assertFalse(g.matchesPrefix("\"\n"), "raw control character");
        assertFalse(g.matchesPrefix("\"\\x"), "unknown escape");
        assertFalse(g.matchesPrefix("\"\\u12G"), "bad hex");
        assertFalse(g.matchesPrefix(new byte[] {'"', (byte) 0xC0}), "overlong lead byte");
        assertFalse(g.matchesPrefix(new byte[] {'"', (byte) 0xE0, (byte) 0x80}), "overlong 3-byte form");
        assertFalse(g.matchesPrefix(new byte[] {'"', (byte) 0xED, (byte) 0xA0}), "UTF-16 surrogate");
        assertFalse(g.matchesPrefix(new byte[] {'"', (byte) 0xF4, (byte) 0x90}), "above U+10FFFF");
        assertFalse(g.matchesPrefix(new byte[] {'"', (byte) 0xE4, '"'}), "quote inside a character");
        assertTrue(g.matchesPrefix(new byte[] {'"', (byte) 0xE4, (byte) 0xB8}), "a character cut in two");
    }

    @Test
    void anyOfTypeListsConstAndNull() {
        JsonGrammar g = schema("{\"anyOf\":[{\"type\":\"integer\"},{\"type\":[\"string\",\"null\"]},"
                + "{\"const\":{\"k\":[1,true]}}]}");
        assertTrue(g.matches("12"));
        assertTrue(g.matches("\"s\""));
        assertTrue(g.matches("null"));
        assertTrue(g.matches("{\"k\":[1,true]}"));
        assertFalse(g.matches("true"));
        assertFalse(g.matches("1.5"));
    }

    @Test
    void recursiveReferencesThroughDefsAndTheRoot() {
        JsonGrammar list = schema("""
                {"$ref":"#/$defs/Node","$defs":{"Node":{"type":"object","properties":{
                  "value":{"type":"integer"},"next":{"anyOf":[{"$ref":"#/$defs/Node"},{"type":"null"}]}},
                  "required":["value","next"],"additionalProperties":false}}}""");
        assertTrue(list.matches("{\"value\":1,\"next\":{\"value\":2,\"next\":{\"value\":3,\"next\":null}}}"));
        assertFalse(list.matches("{\"value\":1,\"next\":{\"value\":2}}"));
        JsonGrammar tree = schema("""
                {"type":"object","properties":{"name":{"type":"string"},
                  "children":{"type":"array","items":{"$ref":"#"}}},"required":["name"],
                 "definitions":{"unused":{"type":"string"}}}""");
        assertTrue(tree.matches("{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[{\"name\":\"c\"}]},"
                + "{\"name\":\"d\",\"children\":[]}]}"));
        JsonGrammar viaDefinitions = schema("{\"$ref\":\"#/definitions/A\",\"definitions\":{\"A\":"
                + "{\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/A\"}}}}");
        assertTrue(viaDefinitions.matches("[[],[[]]]"));
    }

    @Test
    void plainJson() {
        JsonGrammar object = JsonGrammar.anyObject();
        assertTrue(object.matches("{\"a\":[1,{\"b\":null},\"中\"],\"a\":{}}"));
        assertFalse(object.matches("[1]"));
        assertFalse(object.matches("\"s\""));
        assertTrue(JsonGrammar.anyValue().matches("[1, \"x\", true, false, null, {}]"));
        assertTrue(schema("{}").matches("3"));
        assertFalse(schema("{\"items\":{\"type\":\"string\"}}").matches("[1]"), "items without type");
        assertTrue(schema("{\"items\":{\"type\":\"string\"}}").matches("[\"1\"]"));
        assertFalse(schema("{\"required\":[\"a\"],\"properties\":{\"a\":{}}}").matches("{}"));
        assertTrue(schema("true").matches("\"x\""));
        assertTrue(schema("{\"type\":\"object\"}").matches("{\"free\":1}"));
        assertTrue(schema("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}").matches("{}"));
        assertFalse(schema("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}")
                .matches("{\"a\":1}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pattern", "minLength", "maxLength", "minimum", "maximum", "format", "oneOf", "allOf",
        "not", "if", "prefixItems", "uniqueItems", "patternProperties", "multipleOf", "dependentRequired"})
    void unsupportedKeywordsAreNamed(String keyword) {
        String json = "{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\",\"" + keyword + "\":1}}}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> schema(json));
        assertTrue(e.getMessage().contains("unsupported JSON Schema keyword: " + keyword), e.getMessage());
    }

    @Test
    void malformedSchemasAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> schema("{\"$ref\":\"#/$defs/Missing\"}"));
        assertThrows(IllegalArgumentException.class, () -> schema("{\"$ref\":\"http://example.com/s.json\"}"));
        assertThrows(IllegalArgumentException.class,
                () -> schema("{\"type\":\"object\",\"properties\":{\"a\":{}},\"required\":[\"b\"]}"));
        assertThrows(IllegalArgumentException.class, () -> schema("{\"type\":\"integer\",\"$ref\":\"#\"}"));
        assertThrows(IllegalArgumentException.class, () -> schema("{\"type\":\"date\"}"));
        assertThrows(IllegalArgumentException.class, () -> schema("{\"enum\":[]}"));
        assertThrows(IllegalArgumentException.class, () -> schema("false"));
        assertThrows(IllegalArgumentException.class,
                () -> schema("{\"type\":\"array\",\"minItems\":3,\"maxItems\":2}"));
        assertThrows(IllegalArgumentException.class,
                () -> schema("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}"));
        IllegalArgumentException left = assertThrows(IllegalArgumentException.class,
                () -> schema("{\"anyOf\":[{\"$ref\":\"#\"},{\"type\":\"null\"}]}"));
        assertTrue(left.getMessage().contains("left-recursive"), left.getMessage());
    }

    /**
     * A request's schema is bounded by what the grammar would cost, not by its size in bytes: fifty arrays counted to
     * 9,999 items each, or a quarter of a million bytes of enum values, are a few kilobytes of JSON or less than a
     * megabyte, and would take hundreds of megabytes as a grammar (found by fuzzing /v1/chat/completions' tools under
     * a heap cap).
     */
    @Test
    void schemasWhoseGrammarWouldBeHugeAreRefusedBeforeItIsBuilt() {
        StringBuilder arrays = new StringBuilder("{\"type\":\"object\",\"properties\":{");
        for (int i = 0; i < 50; i++) {
            arrays.append(i == 0 ? "" : ",").append("\"a").append(i)
                    .append("\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"maxItems\":9999}");
        }
        IllegalArgumentException counted = assertThrows(IllegalArgumentException.class,
                () -> schema(arrays.append("}}").toString()));
        assertEquals("the schema is too large to follow: it needs more than 50000 grammar rules (fewer properties or"
                + " enum values, shorter enum values, or smaller maxItems)", counted.getMessage());

        String value = "\"" + "长江".repeat(5_000) + "\"";
        StringBuilder values = new StringBuilder("{\"enum\":[");
        for (int i = 0; i < 20; i++) {
            values.append(i == 0 ? "" : ",").append(value.replace("长江", "长江" + i));
        }
        IllegalArgumentException enumerated = assertThrows(IllegalArgumentException.class,
                () -> schema(values.append("]}").toString()));
        assertTrue(enumerated.getMessage().contains("more than 500000 grammar elements"), enumerated.getMessage());

        // one array counted to the most the compiler counts still compiles, as does a deep one
        schema("{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"maxItems\":" + ArrayRules.MAX_COUNTED_ITEMS
                + "}");
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            deep.append("{\"type\":\"object\",\"properties\":{\"child_with_a_long_name\":");
        }
        deep.append("{\"type\":\"integer\"}").append("}}".repeat(300));
        schema(deep.toString());
    }

    @Test
    void jacksonsOwnOutputOfValidDocumentsIsAccepted() throws Exception {
        JsonNode doc = ConstrainedRun.STRICT.readTree(
                "{\"name\":\"李\\u0001\\\"四\",\"age\":7,\"tags\":[\"x\"],\"score\":1.25,\"ok\":true}");
        String compact = ConstrainedRun.STRICT.writeValueAsString(doc);
        assertTrue(schema(PERSON).matches(compact), compact);
        assertEquals(doc, ConstrainedRun.parse(compact));
    }
}
