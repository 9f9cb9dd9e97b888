package io.yinghuo.model.langchain4j;

import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which form a request's answer takes: the grammar it is generated under and what the prompt tells the model. */
class OutputFormatTest {

    static final JsonObjectSchema CITY = JsonObjectSchema.builder().addStringProperty("city").required("city")
            .additionalProperties(false).build();
    static final String CITY_JSON = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"],\"additionalProperties\":false}";

    private static ResponseFormat json(JsonObjectSchema schema) {
        return ResponseFormat.builder().type(ResponseFormatType.JSON)
                .jsonSchema(schema == null ? null : JsonSchema.builder().name("City").rootElement(schema).build())
                .build();
    }

    private static OutputFormat of(DefaultChatRequestParameters.Builder<?> parameters) {
        return OutputFormat.of(parameters.build());
    }

    @Test
    void plainRequestsAndTextResponseFormatsAreFreeText() {
        assertSame(OutputFormat.TEXT, of(ChatRequestParameters.builder()));
        assertSame(OutputFormat.TEXT, of(ChatRequestParameters.builder().responseFormat(ResponseFormat.TEXT)));
        assertFalse(OutputFormat.TEXT.constrained());
        assertNull(OutputFormat.TEXT.instruction());
    }

    @Test
    void toolsWithToolChoiceNoneAreNotOffered() {
        assertSame(OutputFormat.TEXT, of(ChatRequestParameters.builder().toolSpecifications(ToolCallingTest.NOW)
                .toolChoice(ToolChoice.NONE)));
    }

    @Test
    void toolChoiceRequiredWithoutToolsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> of(ChatRequestParameters.builder().toolChoice(ToolChoice.REQUIRED)));
        assertEquals("ToolChoice.REQUIRED needs at least one tool specification", e.getMessage());
    }

    @Test
    void jsonWithoutASchemaIsAnyObject() {
        OutputFormat format = of(ChatRequestParameters.builder().responseFormat(json(null)));
        assertTrue(format.constrained());
        assertTrue(format.grammar().matches("{\"任意\":[1,true,null]}"));
        assertFalse(format.grammar().matches("[1]"));
        assertEquals("请只输出一个 JSON 对象，不要输出其他文字。", format.instruction());
        assertNull(format.tools());
        assertNull(format.schema());
    }

    @Test
    void jsonWithASchemaFollowsItAndShowsItToTheModel() {
        OutputFormat format = of(ChatRequestParameters.builder().responseFormat(json(CITY)));
        assertTrue(format.grammar().matches("{\"city\":\"广州\"}"));
        assertFalse(format.grammar().matches("{\"town\":\"广州\"}"));
        assertEquals("请只输出符合下面 JSON Schema 的 JSON，不要输出其他文字：\n" + CITY_JSON, format.instruction());
        assertEquals(CITY_JSON, ToolCallFormat.compact(format.schema()));
        assertSame(format.grammar(), of(ChatRequestParameters.builder().responseFormat(json(CITY))).grammar(),
                "AI services send the same schema with every call: compiled once");
    }

    @Test
    void toolsBesideAJsonAnswerAskForAnObjectOrTheSchemaInTheResponse() {
        OutputFormat anyObject = of(ChatRequestParameters.builder().toolSpecifications(ToolCallingTest.NOW)
                .responseFormat(json(null)));
        assertTrue(anyObject.instruction().endsWith("}\n直接回答时，response 的值是一个 JSON 对象。"),
                anyObject.instruction());
        assertTrue(anyObject.grammar().matches("{\"response\":{\"a\":1}}"));
        assertFalse(anyObject.grammar().matches("{\"response\":\"文字\"}"));
        assertFalse(anyObject.tools().required());

        OutputFormat city = of(ChatRequestParameters.builder().toolSpecifications(ToolCallingTest.NOW)
                .responseFormat(json(CITY)));
        assertTrue(city.instruction().endsWith("\n直接回答时，response 的值必须符合下面的 JSON Schema：\n" + CITY_JSON),
                city.instruction());
        assertTrue(city.grammar().matches("{\"response\":{\"city\":\"北京\"}}"));
        assertFalse(city.grammar().matches("{\"response\":{\"a\":1}}"));
        assertEquals(CITY_JSON, ToolCallFormat.compact(city.schema()));

        OutputFormat text = of(ChatRequestParameters.builder().toolSpecifications(ToolCallingTest.NOW)
                .toolChoice(ToolChoice.REQUIRED));
        assertTrue(text.tools().required());
        assertEquals(text.tools().instruction(), text.instruction());
        assertFalse(text.grammar().matches("{\"response\":\"文字\"}"));
    }

    @Test
    void aSchemaKeywordOutsideTheGrammarsSubsetIsAnUnsupportedFeatureNamingIt() {
        ResponseFormat pattern = ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(JsonSchema.builder()
                .name("Code").rootElement(JsonRawSchema.from("{\"type\":\"string\",\"pattern\":\"^[0-9]+$\"}"))
                .build()).build();
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> of(ChatRequestParameters.builder().responseFormat(pattern)));
        assertTrue(e.getMessage().startsWith("unsupported JSON Schema keyword: pattern"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(constrained decoding supports objects, arrays, enums, strings, numbers,"
                + " integers, booleans, null, anyOf and $ref)"), e.getMessage());

        ResponseFormat malformed = ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(JsonSchema
                .builder().name("Bad").rootElement(JsonRawSchema.from("{\"$ref\":\"#/$defs/Missing\"}"))
                .build()).build();
        assertThrows(IllegalArgumentException.class,
                () -> of(ChatRequestParameters.builder().responseFormat(malformed)), "unresolvable, not unsupported");
    }
}
