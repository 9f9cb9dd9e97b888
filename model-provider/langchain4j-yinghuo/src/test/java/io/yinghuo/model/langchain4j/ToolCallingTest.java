package io.yinghuo.model.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import io.yinghuo.model.constrain.JsonGrammar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tool calling on a model never trained for it: the grammar makes every complete answer a call of an offered tool
 * with valid arguments, or a text answer. Checked on the answer format itself and end to end with random weights.
 */
class ToolCallingTest {

    static final ToolSpecification ADD = ToolSpecification.builder().name("add").description("两数相加")
            .parameters(JsonObjectSchema.builder().addIntegerProperty("a").addIntegerProperty("b")
                    .required("a", "b").build()).build();
    static final ToolSpecification NOW = ToolSpecification.builder().name("now").description("现在几点").build();

    @TempDir
    static Path dir;
    static YinghuoChatModel model;

    @BeforeAll
    static void load() {
        model = YinghuoChatModel.builder().modelPath(TinyChatModel.write(dir)).device("cpu").threads(1)
                .contextLength(1024).maxOutputTokens(64).log(line -> { }).build();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void theAnswerGrammarAdmitsCallsOfOfferedToolsWithValidArgumentsOrAText() {
        JsonGrammar auto = JsonGrammar.forSchema(new ToolCallFormat(List.of(ADD, NOW), false).answerSchema(null));
        assertTrue(auto.matches("{\"tool_calls\":[{\"name\":\"add\",\"arguments\":{\"a\":1,\"b\":2}}]}"));
        assertTrue(auto.matches("{\"tool_calls\":[{\"name\":\"now\",\"arguments\":{}},"
                + "{\"name\":\"add\",\"arguments\":{\"a\":-3,\"b\":40}}]}"), "parallel calls");
        assertTrue(auto.matches("{\"response\":\"三加四等于七。\"}"));
        assertFalse(auto.matches("{\"tool_calls\":[{\"name\":\"sub\",\"arguments\":{\"a\":1,\"b\":2}}]}"),
                "only offered tools");
        assertFalse(auto.matches("{\"tool_calls\":[{\"name\":\"add\",\"arguments\":{\"a\":1}}]}"),
                "required arguments");
        assertFalse(auto.matches("{\"tool_calls\":[{\"name\":\"add\",\"arguments\":{\"a\":\"1\",\"b\":2}}]}"),
                "argument types");
        assertFalse(auto.matches("{\"tool_calls\":[]}"), "at least one call");
        JsonGrammar required = JsonGrammar.forSchema(new ToolCallFormat(List.of(ADD), true).answerSchema(null));
        assertTrue(required.matches("{\"tool_calls\":[{\"name\":\"add\",\"arguments\":{\"a\":1,\"b\":2}}]}"));
        assertFalse(required.matches("{\"response\":\"不调用工具\"}"), "ToolChoice.REQUIRED: a call only");
    }

    @Test
    void callsAndResultsAreReadAndWrittenInTheSameForm() {
        AiMessage calls = ToolCallFormat.parseAnswer(
                "{\"tool_calls\": [{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 2}}, {\"name\":\"now\","
                        + "\"arguments\":{}}]}");
        List<ToolExecutionRequest> requests = calls.toolExecutionRequests();
        assertEquals(List.of("add", "now"), requests.stream().map(ToolExecutionRequest::name).toList());
        assertEquals("{\"a\":1,\"b\":2}", requests.get(0).arguments());
        assertTrue(requests.get(0).id().matches("call_[0-9a-f]{24}"), requests.get(0).id());
        assertFalse(requests.get(0).id().equals(requests.get(1).id()));
        assertEquals("{\"tool_calls\":[{\"name\":\"add\",\"arguments\":{\"a\":1,\"b\":2}},"
                + "{\"name\":\"now\",\"arguments\":{}}]}", ToolCallFormat.renderCalls(calls));
        assertEquals("七", ToolCallFormat.parseAnswer("{\"response\":\"七\"}").text());
    }

    @Test
    void theResponseTextStreamsDecodedEvenWhenAnEscapeIsSplit() {
        List<String> pieces = new ArrayList<>();
        ResponseTextStream stream = new ResponseTextStream(pieces::add);
        for (String piece : List.of("{\"res", "ponse\": \"第一行", "\\", "n第二行 \\u4e", "03\\\"", "好\\\"\"}")) {
            stream.onText(piece);
        }
        assertEquals("第一行\n第二行 七\"好\"", String.join("", pieces));
        List<String> none = new ArrayList<>();
        ResponseTextStream call = new ResponseTextStream(none::add);
        call.onText("{\"tool_calls\":[{\"name\":\"add\",");
        call.onText("\"arguments\":{\"a\":1,\"b\":2}}]}");
        assertTrue(none.isEmpty(), "a tool call streams no text");
        assertEquals("部分回", ResponseTextStream.textOf("{\"response\":\"部分回"));
    }

    /** Whatever the random weights pick, a complete answer is a valid call or a text; REQUIRED always calls. */
    @Test
    void everyCompleteAnswerIsAValidCallOrATextOnRandomWeights() {
        JsonGrammar arguments = JsonGrammar.forSchema(JsonSchemas.toJsonSchema(ADD.parameters()));
        int calls = 0;
        for (long seed = 1; seed <= 12; seed++) {
            ToolChoice choice = seed % 3 == 0 ? ToolChoice.REQUIRED : ToolChoice.AUTO;
            ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("三加四等于几？"))
                    .parameters(YinghuoChatRequestParameters.builder().toolSpecifications(ADD, NOW)
                            .toolChoice(choice).seed(seed).maxOutputTokens(200).build()).build());
            AiMessage answer = response.aiMessage();
            if (response.finishReason() == FinishReason.TOOL_EXECUTION) {
                calls++;
                assertTrue(answer.hasToolExecutionRequests());
                for (ToolExecutionRequest request : answer.toolExecutionRequests()) {
                    assertTrue(List.of("add", "now").contains(request.name()), request.toString());
                    if (request.name().equals("add")) {
                        assertTrue(arguments.matches(request.arguments()), request.arguments());
                    }
                }
            } else {
                assertFalse(answer.hasToolExecutionRequests(), "seed " + seed);
                assertTrue(choice != ToolChoice.REQUIRED || response.finishReason() == FinishReason.LENGTH,
                        "REQUIRED ends with a call unless cut, seed " + seed + ": " + response);
                assertNotNull(answer.text());
            }
        }
        assertTrue(calls > 0, "some answers call a tool");
    }

    /**
     * LangChain4j's AI services run the @Tool methods the model calls and feed the results back. The tool takes an
     * enum: random weights favour long runs of spaces, 16-digit numbers and many parallel calls, and an enum keeps
     * a call short enough to finish within the token limit.
     */
    @Test
    void aiServicesExecuteTheToolsTheModelCalls() {
        List<City> executed = Collections.synchronizedList(new ArrayList<>());
        Object weather = new Object() {
            @Tool("查询城市的天气")
            String weather(@P("城市") City city) {
                executed.add(city);
                return city + "：晴，二十度";
            }
        };
        boolean calledThenAnswered = false;
        // one load of the weights for every seed: each seeded chat model shares this one's loaded model
        try (YinghuoChatModel loaded = YinghuoChatModel.builder().modelPath(dir.resolve(TinyChatModel.FOLDER))
                .device("cpu").threads(1).contextLength(2048).log(line -> { }).build()) {
            for (long seed = 1; seed <= 40 && !calledThenAnswered; seed++) { // random weights pick a branch per seed
                try (YinghuoChatModel seeded = YinghuoChatModel.builder().model(loaded.model()).maxOutputTokens(600)
                        .temperature(1.0).seed(seed).log(line -> { }).build()) {
                    Assistant assistant = AiServices.builder(Assistant.class).chatModel(seeded).tools(weather)
                            .maxSequentialToolsInvocations(3).build();
                    int before = executed.size();
                    String answer = assistant.chat("北京天气怎么样？");
                    calledThenAnswered = executed.size() > before && answer != null;
                } catch (RuntimeException e) {
                    // random weights may call again and again: three rounds is the service's limit here
                    assertTrue(String.valueOf(e.getMessage()).contains("round trips"), e.toString());
                }
            }
        }
        assertTrue(calledThenAnswered, "a conversation where the model called the tool, got its result and answered");
        assertFalse(executed.isEmpty());
    }

    enum City { 北京, 上海, 广州 }

    interface Assistant {
        String chat(String message);
    }
}
