package io.yinghuo.web.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An OpenAI tool's {@code parameters} as the schema the model's constrained decoding follows: every supported shape
 * arrives whole (a property lost or loosened would let the model write arguments the client rejects), and anything
 * else is a 400 naming the keyword and where it is.
 */
class FunctionSchemasTest {

    static final String WHERE = "tools[0].function.parameters";

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonObjectSchema parameters(String schema) {
        return FunctionSchemas.parameters(json(schema), WHERE);
    }

    private static ApiException refused(String schema) {
        ApiException e = assertThrows(ApiException.class, () -> parameters(schema));
        assertEquals(400, e.status(), e.getMessage());
        assertTrue(e.param().startsWith(WHERE), "the request field that is wrong: " + e.param());
        return e;
    }

    @Test
    void everySupportedShapeArrivesWhole() {
        JsonObjectSchema schema = parameters("{'type':'object','description':'查询天气',"
                + "'properties':{"
                + "'city':{'type':'string','description':'城市'},"
                + "'days':{'type':'integer'},"
                + "'threshold':{'type':'number'},"
                + "'metric':{'type':'boolean'},"
                + "'nothing':{'type':'null'},"
                + "'unit':{'enum':['C','F'],'description':'单位'},"
                + "'tags':{'type':'array','items':{'type':'string'}},"
                + "'names':{'type':'array'},"
                + "'when':{'anyOf':[{'type':'string'},{'type':'integer'}],'description':'时间'},"
                + "'place':{'$ref':'#/$defs/place'},"
                + "'old':{'$ref':'#/definitions/old'}},"
                + "'required':['city','days'],'additionalProperties':false,"
                + "'$defs':{'place':{'type':'object','properties':{'lat':{'type':'number'}}}},"
                + "'definitions':{'old':{'type':'string'}}}");

        JsonObjectSchema expected = JsonObjectSchema.builder().description("查询天气")
                .addProperty("city", JsonStringSchema.builder().description("城市").build())
                .addProperty("days", JsonIntegerSchema.builder().build())
                .addProperty("threshold", JsonNumberSchema.builder().build())
                .addProperty("metric", JsonBooleanSchema.builder().build())
                .addProperty("nothing", new JsonNullSchema())
                .addProperty("unit", JsonEnumSchema.builder().enumValues("C", "F").description("单位").build())
                .addProperty("tags", JsonArraySchema.builder().items(JsonStringSchema.builder().build()).build())
                .addProperty("names", JsonArraySchema.builder().items(JsonStringSchema.builder().build()).build())
                .addProperty("when", JsonAnyOfSchema.builder().description("时间").anyOf(
                        JsonStringSchema.builder().build(), JsonIntegerSchema.builder().build()).build())
                .addProperty("place", JsonReferenceSchema.builder().reference("place").build())
                .addProperty("old", JsonReferenceSchema.builder().reference("old").build())
                .required("city", "days").additionalProperties(false)
                .definitions(Map.of(
                        "place", JsonObjectSchema.builder()
                                .addProperty("lat", JsonNumberSchema.builder().build()).build(),
                        "old", JsonStringSchema.builder().build()))
                .build();
        assertEquals(expected, schema);
    }

    @Test
    void noParametersMeanAFunctionWithoutArguments() {
        assertEquals(JsonObjectSchema.builder().build(), FunctionSchemas.parameters(null, WHERE));
        assertEquals(JsonObjectSchema.builder().build(), FunctionSchemas.parameters(NullNode.getInstance(), WHERE));
        assertEquals(JsonObjectSchema.builder().build(), parameters("{'title':'无参数','$schema':'x'}"),
                "annotations only: an object without properties");
        assertEquals(JsonObjectSchema.builder().additionalProperties(true).build(),
                parameters("{'type':'object','additionalProperties':true}"));
    }

    @Test
    void theParametersMustBeAnObjectSchema() {
        assertEquals(WHERE + " must be a JSON Schema object", refused("['city']").getMessage());
        assertEquals(WHERE + " must be a JSON Schema of type object", refused("{'type':'string'}").getMessage());
        assertEquals(WHERE + " must be a JSON Schema of type object",
                refused("{'enum':['a']}").getMessage());
    }

    @Test
    void anUnsupportedKeywordIsRefusedByNameWhereItIs() {
        ApiException e = refused("{'type':'object','properties':{'tags':{'type':'array',"
                + "'items':{'type':'string','minLength':2}}}}");
        assertEquals("unsupported_parameter", e.code());
        assertEquals(WHERE + ".properties.tags.items", e.param());
        assertTrue(e.getMessage().startsWith("unsupported JSON Schema keyword \"minLength\" in " + WHERE
                + ".properties.tags.items; supported: $defs, $ref, additionalProperties, anyOf, definitions,"),
                e.getMessage());
    }

    @Test
    void malformedConstructsAreRefusedWithTheirPlace() {
        List<String[]> cases = List.of(
                new String[] {"{'properties':{'a':{'$ref':'#/components/a'}}}",
                        "only references to #/$defs/NAME are supported in " + WHERE + ".properties.a, got #/components/a"},
                new String[] {"{'properties':{'a':{'$ref':'#/$defs/'}}}",
                        "only references to #/$defs/NAME are supported in " + WHERE + ".properties.a, got #/$defs/"},
                new String[] {"{'properties':{'a':{'anyOf':[]}}}",
                        "anyOf must be a non-empty array of schemas in " + WHERE + ".properties.a"},
                new String[] {"{'properties':{'a':{'anyOf':{'type':'string'}}}}",
                        "anyOf must be a non-empty array of schemas in " + WHERE + ".properties.a"},
                new String[] {"{'properties':{'a':{'anyOf':[{'type':'string'},{'type':'date'}]}}}",
                        "unsupported JSON Schema type \"date\" in " + WHERE + ".properties.a.anyOf[1]"},
                new String[] {"{'properties':{'a':{'enum':[]}}}",
                        "enum must be a non-empty array of strings in " + WHERE + ".properties.a"},
                new String[] {"{'properties':{'a':{'enum':'C'}}}",
                        "enum must be a non-empty array of strings in " + WHERE + ".properties.a"},
                new String[] {"{'properties':{'a':{'enum':['C',1]}}}",
                        "only string enums are supported in " + WHERE + ".properties.a"},
                new String[] {"{'properties':{'a':{'type':'array','items':'string'}}}",
                        WHERE + ".properties.a.items must be a JSON Schema object"},
                new String[] {"{'$defs':{'p':{'type':'tuple'}}}",
                        "unsupported JSON Schema type \"tuple\" in " + WHERE + ".$defs.p"},
                new String[] {"{'definitions':{'p':{'type':'tuple'}}}",
                        "unsupported JSON Schema type \"tuple\" in " + WHERE + ".definitions.p"},
                new String[] {"{'type':'object','additionalProperties':{'type':'string'}}",
                        "additionalProperties must be true or false in " + WHERE});
        for (String[] c : cases) {
            assertEquals(c[1], refused(c[0]).getMessage(), c[0]);
        }
    }
}
