package io.yinghuo.web.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client of /v1/chat/completions and /v1/completions is told about its request body, field by field: each
 * range is inclusive where OpenAI documents it so (max_tokens from 1, temperature from 0 to 2, top_p above 0 up to
 * 1, at most 4 stop strings), a value just outside it is a 400 naming the parameter, and fields this server cannot
 * honour are refused by name (unsupported_parameter) unless they ask for the default (n 1, penalties 0, best_of 1,
 * logprobs false, response_format text).
 */
class OpenAiRequestTest {

    private static ObjectNode chat(String extraFields) {
        return (ObjectNode) Json.parseObject(("{\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}]"
                + (extraFields.isEmpty() ? "" : "," + extraFields) + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ObjectNode body(String json) {
        return Json.parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ApiException refusedChat(String extraFields) {
        return assertThrows(ApiException.class, () -> OpenAiRequest.chat(chat(extraFields)), extraFields);
    }

    private static void assertRefused(String param, String code, String message, ApiException e) {
        assertEquals(400, e.status());
        assertEquals(param, e.param());
        assertEquals(code, e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void maxTokensRunsFromOneToAMillionAndTheNewerNameWins() {
        assertEquals(1, OpenAiRequest.chat(chat("\"max_tokens\":1")).parameters().maxOutputTokens());
        assertEquals(1 << 20, OpenAiRequest.chat(chat("\"max_tokens\":1048576")).parameters().maxOutputTokens());
        assertRefused("max_tokens", "invalid_value", "max_tokens must be an integer from 1 to 1048576, got 0",
                refusedChat("\"max_tokens\":0"));
        assertRefused("max_tokens", "invalid_value", "max_tokens must be an integer from 1 to 1048576, got 1048577",
                refusedChat("\"max_tokens\":1048577"));
        assertRefused("max_tokens", "invalid_value", "max_tokens must be an integer from 1 to 1048576, got 2.5",
                refusedChat("\"max_tokens\":2.5"));
        assertEquals(7, OpenAiRequest.chat(chat("\"max_completion_tokens\":7,\"max_tokens\":9")).parameters()
                .maxOutputTokens());
        assertNull(OpenAiRequest.chat(chat("")).parameters().maxOutputTokens(), "chat: the model's default");
        assertEquals(16, OpenAiRequest.completion(body("{\"prompt\":\"春\"}")).parameters().maxOutputTokens(),
                "completions: OpenAI's documented default");
    }

    @Test
    void temperatureTopPAndPenaltiesHaveTheirRanges() {
        assertEquals(0.0, OpenAiRequest.chat(chat("\"temperature\":0")).parameters().temperature());
        assertEquals(2.0, OpenAiRequest.chat(chat("\"temperature\":2")).parameters().temperature());
        assertRefused("temperature", "invalid_value", "temperature must be a number from 0.0 to 2.0, got 2.01",
                refusedChat("\"temperature\":2.01"));
        assertRefused("temperature", "invalid_value", "temperature must be a number from 0.0 to 2.0, got -0.01",
                refusedChat("\"temperature\":-0.01"));
        assertRefused("temperature", "invalid_value", "temperature must be a number from 0.0 to 2.0, got \"hot\"",
                refusedChat("\"temperature\":\"hot\""));
        assertEquals(1.0, OpenAiRequest.chat(chat("\"top_p\":1")).parameters().topP());
        assertRefused("top_p", "invalid_value", "top_p must be a number above 0.0 up to 1.0, got 0",
                refusedChat("\"top_p\":0"));
        assertEquals(0, OpenAiRequest.chat(chat("\"top_k\":0")).parameters().topK());
        assertRefused("top_k", "invalid_value", "top_k must be an integer from 0 to 1048576, got -1",
                refusedChat("\"top_k\":-1"));
        assertEquals(10.0, OpenAiRequest.chat(chat("\"repetition_penalty\":10")).parameters().repetitionPenalty());
        assertRefused("repetition_penalty", "invalid_value", "repetition_penalty must be a number above 0.0 up to 10.0, got 0",
                refusedChat("\"repetition_penalty\":0"));
        assertEquals(42L, OpenAiRequest.chat(chat("\"seed\":42")).parameters().seed());
        assertRefused("seed", "invalid_value", "seed must be an integer", refusedChat("\"seed\":4.2"));
    }

    @Test
    void absentFieldsLeaveTheModelsDefaults() {
        OpenAiRequest bare = OpenAiRequest.chat(chat(""));
        assertNull(bare.model());
        assertFalse(bare.stream());
        assertNull(bare.parameters().temperature());
        assertNull(bare.parameters().topP());
        assertNull(bare.parameters().topK());
        assertNull(bare.parameters().repetitionPenalty());
        assertNull(bare.parameters().seed());
        assertEquals(List.of(), bare.parameters().stopSequences());
        assertEquals(0, bare.parameters().toolSpecifications().size());
    }

    @Test
    void toolsOfAChatReachTheModel() {
        OpenAiRequest request = OpenAiRequest.chat(chat("\"tools\":[{\"type\":\"function\",\"function\":"
                + "{\"name\":\"weather\",\"description\":\"天气\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}]"));
        assertEquals("weather", request.parameters().toolSpecifications().get(0).name());
    }

    private static final String TWO_TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\"}},"
            + "{\"type\":\"function\",\"function\":{\"name\":\"time\"}}]";

    @Test
    void toolChoiceNamingAFunctionOffersOnlyThatOneAndRequiresACall() {
        OpenAiRequest named = OpenAiRequest.chat(chat(TWO_TOOLS
                + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"time\"}}"));
        assertEquals(List.of("time"), named.parameters().toolSpecifications().stream()
                .map(dev.langchain4j.agent.tool.ToolSpecification::name).toList());
        assertEquals(dev.langchain4j.model.chat.request.ToolChoice.REQUIRED, named.parameters().toolChoice());
        assertRefused("tool_choice", "invalid_value", "tool_choice names the function \"date\", which is not in tools",
                refusedChat(TWO_TOOLS + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"date\"}}"));

        OpenAiRequest absent = OpenAiRequest.chat(chat(TWO_TOOLS + ",\"tool_choice\":null"));
        assertEquals(2, absent.parameters().toolSpecifications().size(), "null is the default: every tool");
        assertNull(absent.parameters().toolChoice());
        assertEquals(dev.langchain4j.model.chat.request.ToolChoice.NONE,
                OpenAiRequest.chat(chat(TWO_TOOLS + ",\"tool_choice\":\"none\"")).parameters().toolChoice());
        assertRefused("tool_choice", "invalid_value", "tool_choice \"required\" needs at least one tool",
                refusedChat("\"tool_choice\":\"required\""));
    }

    @Test
    void parallelToolCallsAreOnUnlessTurnedOffAndThenOnlyTheFirstCallIsReturned() {
        assertTrue(OpenAiRequest.chat(chat(TWO_TOOLS)).parallelToolCalls());
        assertTrue(OpenAiRequest.chat(chat(TWO_TOOLS + ",\"parallel_tool_calls\":null")).parallelToolCalls());
        assertFalse(OpenAiRequest.chat(chat(TWO_TOOLS + ",\"parallel_tool_calls\":false")).parallelToolCalls());
        assertRefused("parallel_tool_calls", "invalid_value", "parallel_tool_calls must be true or false",
                refusedChat("\"parallel_tool_calls\":\"no\""));

        var weather = dev.langchain4j.agent.tool.ToolExecutionRequest.builder().id("call_1").name("weather")
                .arguments("{}").build();
        var time = dev.langchain4j.agent.tool.ToolExecutionRequest.builder().id("call_2").name("time")
                .arguments("{}").build();
        var twoCalls = dev.langchain4j.data.message.AiMessage.from(List.of(weather, time));
        assertEquals(List.of(weather, time), OpenAiTools.returned(twoCalls, true));
        assertEquals(List.of(weather), OpenAiTools.returned(twoCalls, false));
        var oneCall = dev.langchain4j.data.message.AiMessage.from(List.of(time));
        assertEquals(List.of(time), OpenAiTools.returned(oneCall, false));
    }

    /** Schemas LangChain4j's builders would refuse with their own words (a 500 before; RequestBodyFuzzTest). */
    @Test
    void aToolSchemaWithAnEmptyEnumOrAnyOfOrANamelessReferenceIsRefusedByPath() {
        String where = "tools[0].function.parameters.properties.city";
        for (String[] bad : new String[][]{
                {"{\"enum\":[]}", "enum must be a non-empty array of strings in " + where},
                {"{\"enum\":\"北京\"}", "enum must be a non-empty array of strings in " + where},
                {"{\"anyOf\":[]}", "anyOf must be a non-empty array of schemas in " + where},
                {"{\"anyOf\":{\"type\":\"string\"}}", "anyOf must be a non-empty array of schemas in " + where},
                {"{\"$ref\":\"#/$defs/\"}", "only references to #/$defs/NAME are supported in " + where
                        + ", got #/$defs/"}}) {
            assertRefused(where, "invalid_value", bad[1], refusedChat("\"tools\":[{\"type\":\"function\","
                    + "\"function\":{\"name\":\"weather\",\"parameters\":{\"type\":\"object\","
                    + "\"properties\":{\"city\":" + bad[0] + "}}}}]"));
        }
    }

    @Test
    void upToFourNonEmptyStopStrings() {
        assertEquals(List.of("问："), OpenAiRequest.chat(chat("\"stop\":\"问：\"")).parameters().stopSequences());
        assertEquals(List.of("a", "b", "c", "d"), OpenAiRequest.chat(chat("\"stop\":[\"a\",\"b\",\"c\",\"d\"]"))
                .parameters().stopSequences());
        String four = "stop must be a string or an array of up to 4 strings";
        assertRefused("stop", "invalid_value", four, refusedChat("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]"));
        assertRefused("stop", "invalid_value", four, refusedChat("\"stop\":[\"a\",1]"));
        assertRefused("stop", "invalid_value", four, refusedChat("\"stop\":7"));
        assertRefused("stop", "invalid_value", "stop strings must not be empty", refusedChat("\"stop\":[\"a\",\"\"]"));
    }

    @Test
    void defaultsOfUnsupportedFieldsAreAcceptedAndAnythingElseRefusedByName() {
        OpenAiRequest defaults = OpenAiRequest.chat(chat("\"n\":1,\"frequency_penalty\":0,\"presence_penalty\":0,"
                + "\"logprobs\":false,\"model\":\"yinghuo\",\"stream\":false"));
        assertEquals("yinghuo", defaults.model());
        assertFalse(defaults.stream());
        assertRefused("n", "unsupported_parameter", "n must be 1: one answer per request", refusedChat("\"n\":2"));
        assertEquals("frequency_penalty", refusedChat("\"frequency_penalty\":0.5").param());
        assertEquals("presence_penalty", refusedChat("\"presence_penalty\":-0.5").param());
        assertRefused("logprobs", "unsupported_parameter", "logprobs are not supported",
                refusedChat("\"logprobs\":true"));
        assertRefused("functions", "unsupported_parameter",
                "the deprecated functions field is not supported; send tools", refusedChat("\"functions\":[]"));
        assertRefused("model", "invalid_value", "model must be a string", refusedChat("\"model\":3"));
        assertRefused("stream", "invalid_value", "stream must be true or false", refusedChat("\"stream\":\"yes\""));
        OpenAiRequest streamed = OpenAiRequest.chat(chat("\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        assertTrue(streamed.stream());
        assertTrue(streamed.includeUsage());
        assertFalse(OpenAiRequest.chat(chat("\"stream\":true")).includeUsage());
    }

    @Test
    void messagesAreTextInTheFourRoles() {
        OpenAiRequest request = OpenAiRequest.chat(body("{\"messages\":["
                + "{\"role\":\"system\",\"content\":\"你是助手\"},"
                + "{\"role\":\"developer\",\"content\":\"简短回答\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"长江\"},{\"type\":\"text\",\"text\":\"多长？\"}]},"
                + "{\"role\":\"assistant\",\"content\":\"六千三百公里。\"}]}"));
        assertEquals(List.of(SystemMessage.from("你是助手"), SystemMessage.from("简短回答"),
                UserMessage.from("长江多长？"), AiMessage.from("六千三百公里。")), request.messages());

        assertRefused("messages", "invalid_value", "messages must be a non-empty array",
                assertThrows(ApiException.class, () -> OpenAiRequest.chat(body("{\"messages\":[]}"))));
        assertRefused("messages", "invalid_value", "messages must be a non-empty array",
                assertThrows(ApiException.class, () -> OpenAiRequest.chat(body("{\"messages\":\"你好\"}"))));
        assertRefused("messages[0]", "invalid_value", "messages[0] must be an object with role and content",
                assertThrows(ApiException.class, () -> OpenAiRequest.chat(body("{\"messages\":[\"你好\"]}"))));
        assertRefused("messages[0].role", "invalid_value", "messages[0].role must be system, user or assistant, got \"robot\"",
                assertThrows(ApiException.class,
                        () -> OpenAiRequest.chat(body("{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"))));
        assertRefused("messages[0].role", "unsupported_parameter",
                "the deprecated function role is not supported; send tool messages with tool_call_id",
                assertThrows(ApiException.class,
                        () -> OpenAiRequest.chat(body("{\"messages\":[{\"role\":\"function\",\"content\":\"x\"}]}"))));
        assertRefused("messages[0].content", "unsupported_parameter",
                "only text content parts are supported (no images or audio)",
                assertThrows(ApiException.class, () -> OpenAiRequest.chat(body("{\"messages\":[{\"role\":\"user\","
                        + "\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]}"))));
        assertRefused("messages[0].content", "invalid_value", "messages[0].content must be a string",
                assertThrows(ApiException.class,
                        () -> OpenAiRequest.chat(body("{\"messages\":[{\"role\":\"user\",\"content\":5}]}"))));
    }

    /** An empty system prompt was a 500 (LangChain4j's SystemMessage refuses blank text; RequestBodyFuzzTest). */
    @Test
    void anEmptySystemMessageIsRefusedByNameAndAnEmptyUserMessageIsText() {
        for (String empty : List.of("\"\"", "\"  \"", "\"\\u0000\\n\"", "[]")) {
            for (String role : List.of("system", "developer")) {
                assertRefused("messages[0].content", "invalid_value", "messages[0].content is empty: a " + role
                        + " message needs text; leave the message out to use the model's default system prompt",
                        assertThrows(ApiException.class, () -> OpenAiRequest.chat(body("{\"messages\":[{\"role\":\""
                                + role + "\",\"content\":" + empty + "},{\"role\":\"user\",\"content\":\"你好\"}]}"))));
            }
        }
        assertEquals(List.of(UserMessage.from("")), OpenAiRequest.chat(
                body("{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}")).messages());
    }

    /**
     * A client of a tool-calling conversation sends the assistant's calls back with the results: the calls become
     * the assistant message's tool requests (so the model sees what it asked), and a result names its call by id.
     * An empty {@code tool_calls} array is no call at all, and only an assistant's {@code tool_calls} count.
     */
    @Test
    void anAssistantsToolCallsComeBackAsToolRequestsAndAnEmptyListAsPlainText() {
        OpenAiRequest request = OpenAiRequest.chat(body("{\"messages\":["
                + "{\"role\":\"user\",\"content\":\"北京天气？\",\"tool_calls\":[{\"id\":\"x\"}]},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"北京\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"晴\"},"
                + "{\"role\":\"assistant\",\"content\":\"北京今天晴。\",\"tool_calls\":[]},"
                + "{\"role\":\"user\",\"content\":\"谢谢\"}]}"));
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("call_1").name("weather")
                .arguments("{\"city\":\"北京\"}").build();
        assertEquals(List.of(UserMessage.from("北京天气？"), AiMessage.from(List.of(call)),
                ToolExecutionResultMessage.from("call_1", "weather", "晴"), AiMessage.from("北京今天晴。"),
                UserMessage.from("谢谢")), request.messages());
    }

    @Test
    void aCompletionTakesOnePromptAndRefusesWhatBelongsElsewhere() {
        assertEquals(List.of(UserMessage.from("床前明月光")),
                OpenAiRequest.completion(body("{\"prompt\":[\"床前明月光\"],\"best_of\":1,\"echo\":false,"
                        + "\"response_format\":{\"type\":\"text\"}}")).messages());
        String form = "prompt must be a string (or an array of one string)";
        assertRefused("prompt", "invalid_value", form, assertThrows(ApiException.class,
                () -> OpenAiRequest.completion(body("{\"prompt\":[\"一\",\"二\"]}"))));
        assertRefused("prompt", "invalid_value", form, assertThrows(ApiException.class,
                () -> OpenAiRequest.completion(body("{\"prompt\":[3]}"))));
        assertRefused("prompt", "invalid_value", form, assertThrows(ApiException.class,
                () -> OpenAiRequest.completion(body("{}"))));
        assertRefused("prompt", "invalid_value", "prompt must not be empty", assertThrows(ApiException.class,
                () -> OpenAiRequest.completion(body("{\"prompt\":\"\"}"))));
        assertRefused("echo", "unsupported_parameter", "echo is not supported", assertThrows(ApiException.class,
                () -> OpenAiRequest.completion(body("{\"prompt\":\"a\",\"echo\":true}"))));
        assertRefused("suffix", "unsupported_parameter", "suffix (insertion) is not supported",
                assertThrows(ApiException.class,
                        () -> OpenAiRequest.completion(body("{\"prompt\":\"a\",\"suffix\":\"b\"}"))));
        assertRefused("best_of", "unsupported_parameter", "best_of must be 1", assertThrows(ApiException.class,
                () -> OpenAiRequest.completion(body("{\"prompt\":\"a\",\"best_of\":2}"))));
        assertRefused("tools", "unsupported_parameter", "tools belong to /v1/chat/completions",
                assertThrows(ApiException.class,
                        () -> OpenAiRequest.completion(body("{\"prompt\":\"a\",\"tools\":[]}"))));
        assertRefused("functions", "unsupported_parameter",
                "the deprecated functions field is not supported; send tools", assertThrows(ApiException.class,
                        () -> OpenAiRequest.completion(body("{\"prompt\":\"a\",\"functions\":[]}"))));
        assertRefused("response_format", "unsupported_parameter", "response formats belong to /v1/chat/completions",
                assertThrows(ApiException.class, () -> OpenAiRequest.completion(
                        body("{\"prompt\":\"a\",\"response_format\":{\"type\":\"json_object\"}}"))));
    }
}
