package io.yinghuo.model.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import io.yinghuo.model.constrain.JsonGrammar;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tool format without a model: what the prompt says, what the grammar admits, how calls are read and written. */
class ToolCallFormatTest {

    static final ToolSpecification ADD = ToolCallingTest.ADD;
    static final ToolSpecification NOW = ToolSpecification.builder().name("now").description("  现在几点  ").build();
    static final ToolSpecification PING = ToolSpecification.builder().name("ping").build();

    private static String call(String name, String arguments) {
        return "{\"name\":\"" + name + "\",\"arguments\":" + arguments + "}";
    }

    private static String calls(int n) {
        StringBuilder json = new StringBuilder("{\"tool_calls\":[");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append(call("ping", "{}"));
        }
        return json.append("]}").toString();
    }

    @Test
    void thePromptListsEveryToolWithItsDescriptionAndParametersAndBothAnswerForms() {
        String auto = new ToolCallFormat(List.of(ADD, NOW, PING), false).instruction();
        assertEquals("你可以使用下列工具。回答时只输出一个 JSON 对象：\n"
                + "- 需要调用工具时：{\"tool_calls\": [{\"name\": \"工具名\", \"arguments\": {参数}}]}\n"
                + "- 不需要工具、直接回答用户时：{\"response\": \"你的回答\"}\n"
                + "工具：\n"
                + "- add：两数相加\n"
                + "  参数（JSON Schema）：{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
                + "\"b\":{\"type\":\"integer\"}},\"required\":[\"a\",\"b\"]}\n"
                + "- now：现在几点\n"
                + "  参数（JSON Schema）：{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}\n"
                + "- ping\n"
                + "  参数（JSON Schema）：{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
                auto);
        String required = new ToolCallFormat(List.of(PING), true).instruction();
        assertFalse(required.contains("response"), "ToolChoice.REQUIRED offers no text answer: " + required);
        assertTrue(required.endsWith("- ping\n  参数（JSON Schema）：{\"type\":\"object\",\"properties\":{},"
                + "\"additionalProperties\":false}"), required);
    }

    @Test
    void aToolWithoutParametersIsCalledWithAnEmptyObjectOnly() {
        JsonGrammar grammar = JsonGrammar.forSchema(new ToolCallFormat(List.of(PING), true).answerSchema(null));
        assertTrue(grammar.matches("{\"tool_calls\":[" + call("ping", "{}") + "]}"));
        assertFalse(grammar.matches("{\"tool_calls\":[" + call("ping", "{\"x\":1}") + "]}"));
        assertFalse(grammar.matches("{\"tool_calls\":[{\"name\":\"ping\"}]}"), "arguments are required");
        assertFalse(grammar.matches("{\"tool_calls\":[{\"name\":\"ping\",\"arguments\":{},\"id\":1}]}"),
                "nothing beside name and arguments");
        assertFalse(grammar.matches("{\"tool_calls\":[" + call("ping", "{}") + "],\"note\":1}"));
    }

    @Test
    void anAnswerCallsOneToEightTools() {
        JsonGrammar grammar = JsonGrammar.forSchema(new ToolCallFormat(List.of(PING), false).answerSchema(null));
        assertTrue(grammar.matches(calls(1)));
        assertTrue(grammar.matches(calls(ToolCallFormat.MAX_CALLS)));
        assertFalse(grammar.matches(calls(ToolCallFormat.MAX_CALLS + 1)), "a weak model cannot list calls forever");
        assertFalse(grammar.matches(calls(0)));
        assertFalse(grammar.matches("{\"response\":\"好\",\"tool_calls\":[" + call("ping", "{}") + "]}"));
        assertTrue(grammar.matches("{\"response\":\"好\"}"));
        assertFalse(grammar.matches("{\"response\":{\"a\":1}}"), "a text answer is a string");
    }

    @Test
    void aStructuredAnswerBesideToolsFollowsItsSchemaAndIsReadAsItsJson() {
        JsonObjectSchema city = JsonObjectSchema.builder().addStringProperty("city").required("city")
                .additionalProperties(false).build();
        JsonGrammar grammar = JsonGrammar.forSchema(new ToolCallFormat(List.of(PING), false)
                .answerSchema(JsonSchemas.toJsonSchema(city)));
        assertTrue(grammar.matches("{\"response\":{\"city\":\"北京\"}}"));
        assertFalse(grammar.matches("{\"response\":\"北京\"}"));
        assertFalse(grammar.matches("{\"response\":{\"town\":\"北京\"}}"));
        assertEquals("{\"city\":\"北京\"}",
                ToolCallFormat.parseAnswer("{\"response\": {\"city\": \"北京\"}}").text());
    }

    @Test
    void toolsSharingADefinitionReferToItAtTheRootAndConflictingOnesAreRefused() {
        JsonObjectSchema point = JsonObjectSchema.builder().addIntegerProperty("x").required("x")
                .additionalProperties(false).build();
        ToolSpecification move = tool("move", point);
        ToolSpecification jump = tool("jump", point);
        JsonGrammar grammar = JsonGrammar.forSchema(new ToolCallFormat(List.of(move, jump), true).answerSchema(null));
        assertTrue(grammar.matches("{\"tool_calls\":[" + call("jump", "{\"to\":{\"x\":3}}") + "]}"));
        assertFalse(grammar.matches("{\"tool_calls\":[" + call("jump", "{\"to\":{\"y\":3}}") + "]}"));

        ToolSpecification other = tool("fly", JsonObjectSchema.builder().addStringProperty("name").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ToolCallFormat(List.of(move, other), true).answerSchema(null));
        assertEquals("tool fly defines \"Point\" differently from another tool; give the two types different names",
                e.getMessage());
    }

    private static ToolSpecification tool(String name, JsonSchemaElement pointType) {
        return ToolSpecification.builder().name(name).parameters(JsonObjectSchema.builder()
                .addProperty("to", JsonReferenceSchema.builder().reference("Point").build()).required("to")
                .definitions(Map.of("Point", pointType)).build()).build();
    }

    @Test
    void noToolsAreNoToolFormat() {
        assertThrows(IllegalArgumentException.class, () -> new ToolCallFormat(List.of(), false));
        assertTrue(new ToolCallFormat(List.of(PING), true).required());
        assertFalse(new ToolCallFormat(List.of(PING), false).required());
    }

    @Test
    void callsAreWrittenBackAsTheModelWritesThemWhateverTheirArguments() {
        AiMessage message = AiMessage.from(List.of(
                ToolExecutionRequest.builder().id("1").name("ping").arguments("").build(),
                ToolExecutionRequest.builder().id("2").name("now").build(),
                ToolExecutionRequest.builder().id("3").name("add").arguments("a=1").build()));
        assertEquals("{\"tool_calls\":[" + call("ping", "{}") + "," + call("now", "{}") + ","
                + call("add", "\"a=1\"") + "]}", ToolCallFormat.renderCalls(message));
    }

    @Test
    void aToolResultIsAUserTurnNamingTheTool() {
        assertEquals("工具 add 的结果：7",
                ToolCallFormat.renderResult(ToolExecutionResultMessage.from("1", "add", "7")));
    }

    @Test
    void anAnswerThatIsNotJsonIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ToolCallFormat.parseAnswer("{\"response\": \"未完"));
        assertTrue(e.getMessage().startsWith("the constrained tool answer is not JSON: "), e.getMessage());
    }

    /** An answer cut by the token limit keeps what was streamed: an escape that ended exactly at the cut counts. */
    @Test
    void aCutAnswerKeepsAnEscapedCharacterThatEndedAtTheCut() {
        assertEquals("第七", ResponseTextStream.textOf("{\"response\": \"第\\u4e03"));
        assertEquals("第", ResponseTextStream.textOf("{\"response\": \"第\\u4e0"), "half an escape is not text");
        assertEquals("", ResponseTextStream.textOf("{\"tool_calls\": [{\"name\": \"add\""));
    }
}
