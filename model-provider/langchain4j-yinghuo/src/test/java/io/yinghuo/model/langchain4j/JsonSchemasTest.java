package io.yinghuo.model.langchain4j;

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
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON Schema a structured answer is generated under, and shown to the model, as written from LangChain4j's
 * schema elements: every keyword of the element reaches the document (a lost {@code required} or {@code enum} would
 * let the grammar admit answers the caller's type cannot take).
 */
class JsonSchemasTest {

    private static String schemaOf(JsonSchemaElement element) {
        return ToolCallFormat.compact(JsonSchemas.toJsonSchema(element));
    }

    @Test
    void everyElementTypeBecomesItsKeywordsWithTheirDescriptions() {
        Map<String, JsonSchemaElement> defs = new LinkedHashMap<>();
        defs.put("Point", JsonObjectSchema.builder().addNumberProperty("x").build());
        JsonObjectSchema root = JsonObjectSchema.builder()
                .description("一个城市")
                .addStringProperty("name", "名称")
                .addIntegerProperty("population", "人口")
                .addNumberProperty("area", "面积")
                .addBooleanProperty("capital", "是否首都")
                .addEnumProperty("climate", java.util.List.of("温带", "热带"), "气候")
                .addProperty("districts", JsonArraySchema.builder().description("区").items(new JsonStringSchema())
                        .build())
                .addProperty("mayor", JsonAnyOfSchema.builder().description("市长").anyOf(new JsonStringSchema(),
                        new JsonNullSchema()).build())
                .addProperty("centre", JsonReferenceSchema.builder().reference("Point").build())
                .required("name", "population")
                .additionalProperties(false)
                .definitions(defs)
                .build();

        assertEquals("{\"type\":\"object\",\"description\":\"一个城市\",\"properties\":{"
                + "\"name\":{\"type\":\"string\",\"description\":\"名称\"},"
                + "\"population\":{\"type\":\"integer\",\"description\":\"人口\"},"
                + "\"area\":{\"type\":\"number\",\"description\":\"面积\"},"
                + "\"capital\":{\"type\":\"boolean\",\"description\":\"是否首都\"},"
                + "\"climate\":{\"type\":\"string\",\"description\":\"气候\",\"enum\":[\"温带\",\"热带\"]},"
                + "\"districts\":{\"type\":\"array\",\"description\":\"区\",\"items\":{\"type\":\"string\"}},"
                + "\"mayor\":{\"description\":\"市长\",\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]},"
                + "\"centre\":{\"$ref\":\"#/$defs/Point\"}},"
                + "\"required\":[\"name\",\"population\"],\"additionalProperties\":false,"
                + "\"$defs\":{\"Point\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"number\"}}}}}",
                schemaOf(root));
    }

    @Test
    void blankDescriptionsAndEmptyListsAddNoKeywords() {
        assertEquals("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}",
                schemaOf(JsonObjectSchema.builder().description("  ").addStringProperty("a", "").build()));
        assertEquals("{\"type\":\"array\"}", schemaOf(JsonArraySchema.builder().build()));
        assertEquals("{\"type\":\"boolean\"}", schemaOf(new JsonBooleanSchema()));
        assertEquals("{\"type\":\"integer\"}", schemaOf(new JsonIntegerSchema()));
        assertEquals("{\"type\":\"number\"}", schemaOf(new JsonNumberSchema()));
        assertEquals("{\"type\":\"string\",\"enum\":[\"是\"]}",
                schemaOf(JsonEnumSchema.builder().enumValues("是").build()));
    }

    @Test
    void aRawSchemaIsTakenAsWrittenAndMustBeAJsonObject() {
        assertEquals("{\"type\":\"string\",\"maxLength\":3}",
                schemaOf(JsonRawSchema.from("{\"type\": \"string\", \"maxLength\": 3}")));
        IllegalArgumentException array = assertThrows(IllegalArgumentException.class,
                () -> JsonSchemas.toJsonSchema(JsonRawSchema.from("[1, 2]")));
        assertEquals("a JSON schema must be a JSON object, got [1, 2]", array.getMessage());
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> JsonSchemas.toJsonSchema(JsonRawSchema.from("{\"type\": ")));
        assertTrue(broken.getMessage().startsWith("the raw JSON schema is not valid JSON: "), broken.getMessage());
    }

    @Test
    void anElementTypeThisProviderDoesNotKnowIsRefusedByName() {
        JsonSchemaElement custom = new JsonSchemaElement() {
            @Override
            public String description() {
                return null;
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonSchemas.toJsonSchema(custom));
        assertTrue(e.getMessage().endsWith(" is not known to this provider"), e.getMessage());
    }
}
