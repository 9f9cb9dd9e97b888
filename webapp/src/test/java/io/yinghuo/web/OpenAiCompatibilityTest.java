package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.model.langchain4j.YinghuoChatModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAI-compatible API driven by a client nobody here wrote, LangChain4j's {@code langchain4j-open-ai}, against
 * a server running a synthesized tiny model (behind an API key, as the SDK sends one), plus the raw wire format.
 */
class OpenAiCompatibilityTest {

    static final String KEY = "test-key-123456";

    @TempDir
    static Path dir;
    static WebServer server;
    static String base;
    static String modelName;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.create(ServerOptions.defaults().withPort(0).withApiKey(KEY),
                DataFolder.at(dir.resolve("data")), TinyModel.load(dir)).start();
        base = "http://127.0.0.1:" + server.port();
        modelName = server.models().name();
        http = new Http(base, Map.of("Authorization", "Bearer " + KEY));
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    /** What the provider itself answers greedily: the server must give the same text. */
    static String direct(String question, int maxTokens) {
        try (YinghuoChatModel model = YinghuoChatModel.builder().modelPath(TinyModel.folder(dir)).device("cpu")
                .threads(1).chatTemplate("alpaca2").contextLength(TinyModel.CONTEXT).maxOutputTokens(maxTokens)
                .temperature(0.0).log(line -> { }).build()) {
            return model.chat(question);
        }
    }

    @Test
    void openaiChatModelGetsTheSameGreedyAnswerAsTheProvider() {
        OpenAiChatModel client = OpenAiChatModel.builder().baseUrl(base + "/v1").apiKey(KEY).modelName(modelName)
                .temperature(0.0).maxTokens(6).build();
        ChatResponse response = client.chat(ChatRequest.builder().messages(UserMessage.from("你好，世界")).build());
        assertEquals(direct("你好，世界", 6), response.aiMessage().text());
        assertNotNull(response.tokenUsage());
        assertTrue(response.tokenUsage().inputTokenCount() > 0);
        assertTrue(response.finishReason() == FinishReason.LENGTH || response.finishReason() == FinishReason.STOP);
        assertEquals(modelName, response.modelName());
    }

    @Test
    void openaiStreamingChatModelStreamsTheSameAnswerInPieces() throws Exception {
        OpenAiStreamingChatModel client = OpenAiStreamingChatModel.builder().baseUrl(base + "/v1").apiKey(KEY)
                .modelName(modelName).temperature(0.0).maxTokens(6).build();
        List<String> pieces = new ArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        client.chat("你好，世界", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                pieces.add(partialResponse);
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                done.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(60, TimeUnit.SECONDS);
        String expected = direct("你好，世界", 6);
        assertEquals(expected, response.aiMessage().text());
        assertEquals(expected, String.join("", pieces));
        assertTrue(pieces.size() > 1 || expected.length() <= 1, "streamed in pieces: " + pieces);
    }

    @Test
    void openaiClientSeesServerErrorsAsExceptions() {
        OpenAiChatModel wrongKey = OpenAiChatModel.builder().baseUrl(base + "/v1").apiKey("wrong-key-000")
                .modelName(modelName).maxRetries(0).build();
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> wrongKey.chat("hi"));
        assertTrue(String.valueOf(e.getMessage()).contains("API key"), e.getMessage());
    }

    @Test
    void chatCompletionsWireFormatStreamAndNot() {
        String body = "{\"model\":\"" + modelName + "\",\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}],"
                + "\"max_tokens\":4,\"temperature\":0,\"top_k\":40,\"top_p\":0.9,\"repetition_penalty\":1.1}";
        JsonNode plain = http.postJson("/v1/chat/completions", body).json();
        assertEquals("chat.completion", plain.get("object").asText());
        assertTrue(plain.get("id").asText().startsWith("chatcmpl-"));
        JsonNode choice = plain.get("choices").get(0);
        assertEquals("assistant", choice.get("message").get("role").asText());
        String text = choice.get("message").get("content").asText();
        JsonNode usage = plain.get("usage");
        assertEquals(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt(),
                usage.get("total_tokens").asInt());

        Http.Response streamed = http.postJson("/v1/chat/completions",
                body.replace("{\"model\"", "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\""));
        assertEquals(200, streamed.status());
        List<Map.Entry<String, String>> events = streamed.events();
        assertEquals("[DONE]", events.get(events.size() - 1).getValue());
        StringBuilder joined = new StringBuilder();
        String finish = null;
        boolean usageSeen = false;
        for (Map.Entry<String, String> event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = DocumentApiTest.parse(event.getValue());
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            if (chunk.get("choices").isEmpty()) {
                usageSeen = chunk.has("usage");
                continue;
            }
            JsonNode c = chunk.get("choices").get(0);
            joined.append(c.get("delta").path("content").asText(""));
            if (!c.get("finish_reason").isNull()) {
                finish = c.get("finish_reason").asText();
            }
        }
        assertEquals(text, joined.toString());
        assertEquals(choice.get("finish_reason").asText(), finish);
        assertTrue(usageSeen);
    }

    @Test
    void completionsContinueThePromptAndStopStringsEndIt() {
        JsonNode plain = http.postJson("/v1/completions", "{\"prompt\":\"从前有座山\",\"max_tokens\":5,"
                + "\"temperature\":0}").json();
        assertEquals("text_completion", plain.get("object").asText());
        String text = plain.get("choices").get(0).get("text").asText();
        assertTrue(plain.get("usage").get("completion_tokens").asInt() <= 5, plain.toString());
        if (text.length() >= 2) {
            String stop = text.substring(1, 2);
            JsonNode stopped = http.postJson("/v1/completions", "{\"prompt\":\"从前有座山\",\"max_tokens\":5,"
                    + "\"temperature\":0,\"stop\":[" + Json.write(stop) + "]}").json();
            String cut = stopped.get("choices").get(0).get("text").asText();
            assertFalse(cut.contains(stop), cut);
            assertEquals("stop", stopped.get("choices").get(0).get("finish_reason").asText());
        }
        Http.Response streamed = http.postJson("/v1/completions", "{\"prompt\":\"从前有座山\",\"max_tokens\":5,"
                + "\"temperature\":0,\"stream\":true}");
        StringBuilder joined = new StringBuilder();
        for (Map.Entry<String, String> event : streamed.events()) {
            if (!event.getValue().equals("[DONE]")) {
                joined.append(DocumentApiTest.parse(event.getValue()).get("choices").get(0).get("text").asText());
            }
        }
        assertEquals(text, joined.toString());
    }

    @Test
    void errorsUseTheOpenaiErrorShape() {
        String user = "[{\"role\":\"user\",\"content\":\"hi\"}]";
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "{\"model\":\"gpt-4\",\"messages\":"
                + user + "}"), 404, "model_not_found");
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "{\"messages\":[]}"), 400,
                "invalid_value");
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "{\"messages\":" + user
                + ",\"tools\":[{\"type\":\"function\"}]}"), 400, "invalid_value");
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "{\"messages\":" + user
                + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":"
                + "\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"a+\"}}}}}]}"), 400,
                "unsupported_parameter");
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "{\"messages\":" + user
                + ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":"
                + "{\"type\":\"string\",\"minLength\":3}}}}"), 400, "unsupported");
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"},{\"role\":\"tool\",\"tool_call_id\":\"nope\",\"content\":\"x\"}]}"), 400,
                "invalid_value");
        DocumentApiTest.assertError(http.postJson("/v1/completions", "{\"prompt\":\"hi\",\"tools\":[]}"), 400,
                "unsupported_parameter");
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "{\"messages\":" + user + ",\"n\":2}"),
                400, "unsupported_parameter");
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "{\"messages\":" + user
                + ",\"temperature\":3}"), 400, "invalid_value");
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "{\"messages\":" + user
                + ",\"max_tokens\":0}"), 400, "invalid_value");
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "{\"messages\":" + user
                + ",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}"), 400, "invalid_value");
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "not json"), 400, "invalid_value");
        DocumentApiTest.assertError(http.postJson("/v1/completions", "{\"prompt\":42}"), 400, "invalid_value");
        DocumentApiTest.assertError(http.postJson("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + "你好".repeat(2000) + "\"}]}"), 400, "context_length_exceeded");
        DocumentApiTest.assertError(new Http(base).get("/v1/models"), 401, "invalid_api_key");
        JsonNode models = http.get("/v1/models").json();
        assertEquals(modelName, models.get("data").get(0).get("id").asText());
        assertEquals(200, http.get("/v1/models/" + modelName).status());
    }

    static final String WEATHER_TOOL = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"查询天气\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
            + "{\"type\":\"string\",\"enum\":[\"北京\",\"上海\"]}},\"required\":[\"city\"]}}}";

    /** A forced call comes back as OpenAI's tool_calls, with arguments valid against the function's schema. */
    @Test
    void toolCallsComeBackInOpenaisShapeStreamedOrNot() throws Exception {
        String request = "{\"messages\":[{\"role\":\"user\",\"content\":\"北京天气怎么样？\"}],\"tools\":["
                + WEATHER_TOOL + "],\"tool_choice\":\"required\",\"max_tokens\":600,\"temperature\":0";
        JsonNode body = http.postJson("/v1/chat/completions", request + "}").json();
        JsonNode choice = body.get("choices").get(0);
        assertEquals("tool_calls", choice.get("finish_reason").asText(), body.toString());
        JsonNode call = choice.get("message").get("tool_calls").get(0);
        assertTrue(call.get("id").asText().startsWith("call_"), call.toString());
        assertEquals("function", call.get("type").asText());
        assertEquals("get_weather", call.get("function").get("name").asText());
        JsonNode arguments = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(call.get("function").get("arguments").asText());
        assertTrue(List.of("北京", "上海").contains(arguments.get("city").asText()), arguments.toString());
        assertTrue(choice.get("message").get("content").isNull());

        Http.Response streamed = http.postJson("/v1/chat/completions", request + ",\"stream\":true}");
        List<JsonNode> chunks = new ArrayList<>();
        for (Map.Entry<String, String> event : streamed.events()) {
            if (!event.getValue().equals("[DONE]")) {
                chunks.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(event.getValue()));
            }
        }
        JsonNode callChunk = chunks.stream().filter(c -> c.get("choices").get(0).get("delta").has("tool_calls"))
                .findFirst().orElseThrow();
        JsonNode streamedCall = callChunk.get("choices").get(0).get("delta").get("tool_calls").get(0);
        assertEquals(0, streamedCall.get("index").asInt());
        assertEquals("get_weather", streamedCall.get("function").get("name").asText());
        assertEquals("tool_calls", chunks.get(chunks.size() - 1).get("choices").get(0).get("finish_reason").asText());

        // The call and its result go back in the conversation; the model answers after them.
        String followUp = "{\"messages\":[{\"role\":\"user\",\"content\":\"北京天气怎么样？\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + Json.write(call) + "]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"" + call.get("id").asText() + "\",\"content\":\"晴\"}],"
                + "\"tools\":[" + WEATHER_TOOL + "],\"tool_choice\":\"none\",\"max_tokens\":4}";
        Http.Response answered = http.postJson("/v1/chat/completions", followUp);
        assertEquals(200, answered.status(), answered.body());
        assertTrue(answered.json().get("choices").get(0).get("message").get("content").isTextual());
    }

    /** json_schema answers parse and validate whenever they end by themselves. */
    @Test
    void jsonSchemaResponsesAreValidJson() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"enum\":[\"北京\","
                + "\"上海\"]},\"sunny\":{\"type\":\"boolean\"}},\"required\":[\"city\",\"sunny\"],"
                + "\"additionalProperties\":false}";
        JsonNode body = http.postJson("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"天气\"}],\"max_tokens\":600,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                + "{\"name\":\"weather\",\"schema\":" + schema + "}}}").json();
        JsonNode choice = body.get("choices").get(0);
        assertEquals("stop", choice.get("finish_reason").asText(), body.toString());
        JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(choice.get("message").get("content").asText());
        assertTrue(List.of("北京", "上海").contains(answer.get("city").asText()), answer.toString());
        assertTrue(answer.get("sunny").isBoolean());
        assertEquals(2, answer.size());
    }

    /** OpenAI answers the conversation it was sent or refuses it; it never leaves messages out. */
    @Test
    void aHistoryTooLongForTheContextIsRefusedNotTrimmedStreamedOrNot() {
        StringBuilder messages = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            messages.append("{\"role\":\"user\",\"content\":\"question ").append(i).append(' ')
                    .append("hello world ".repeat(20)).append("\"},{\"role\":\"assistant\",\"content\":\"")
                    .append("the world ".repeat(20)).append("\"},");
        }
        messages.append("{\"role\":\"user\",\"content\":\"hello\"}]");
        for (String stream : List.of("false", "true")) {
            Http.Response r = http.postJson("/v1/chat/completions", "{\"messages\":" + messages + ",\"stream\":"
                    + stream + ",\"max_tokens\":8}");
            DocumentApiTest.assertError(r, 400, "context_length_exceeded");
            JsonNode error = r.json().get("error");
            assertEquals("messages", error.get("param").asText());
            assertEquals("invalid_request_error", error.get("type").asText());
            String message = error.get("message").asText();
            assertTrue(message.startsWith("This model's maximum context length is " + TinyModel.CONTEXT
                    + " tokens. However, you requested "), message);
            assertTrue(message.contains(" in the messages, 8 kept for the completion)"), message);
        }
        Http.Response prompt = http.postJson("/v1/completions", "{\"prompt\":\"" + "hello world ".repeat(2000)
                + "\",\"max_tokens\":8}");
        DocumentApiTest.assertError(prompt, 400, "context_length_exceeded");
        assertEquals("prompt", prompt.json().get("error").get("param").asText());
    }

    /** Merged system and same-role messages, an assistant-first history and an assistant prefill are all served. */
    @Test
    void lenientConversationsAreAnswered() {
        String[] bodies = {
            "[{\"role\":\"system\",\"content\":\"a\"},{\"role\":\"developer\",\"content\":\"b\"},"
                    + "{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"user\",\"content\":\"there\"}]",
            "[{\"role\":\"assistant\",\"content\":\"How can I help?\"},{\"role\":\"user\",\"content\":\"hi\"}]",
            "[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"Hello,\"}]",
        };
        for (String messages : bodies) {
            Http.Response r = http.postJson("/v1/chat/completions", "{\"messages\":" + messages
                    + ",\"max_tokens\":3,\"temperature\":0}");
            assertEquals(200, r.status(), r.body());
            assertEquals(3, r.json().get("usage").get("completion_tokens").asInt(), r.body());
        }
    }

    /** One id per response, the same on every chunk of a streamed one, in the provider's chatcmpl- shape. */
    @Test
    void responseIdsAreUniqueAndSharedByAllChunksOfAStream() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3}";
        String first = http.postJson("/v1/chat/completions", body).json().get("id").asText();
        String second = http.postJson("/v1/chat/completions", body).json().get("id").asText();
        assertTrue(first.matches("chatcmpl-[0-9a-f]{32}"), first);
        assertFalse(first.equals(second));
        Http.Response streamed = http.postJson("/v1/chat/completions", body.replace("{", "{\"stream\":true,"));
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Map.Entry<String, String> event : streamed.events()) {
            if (!event.getValue().equals("[DONE]")) {
                ids.add(DocumentApiTest.parse(event.getValue()).get("id").asText());
            }
        }
        assertEquals(1, ids.size(), ids.toString());
        assertFalse(ids.contains(first) || ids.contains(second));
    }

    @Test
    void concurrentGenerationsAllFinishAndReleaseTheQueue() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Http.Response>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String body = i % 2 == 0
                        ? "{\"messages\":[{\"role\":\"user\",\"content\":\"问题" + i + "\"}],\"max_tokens\":4}"
                        : "{\"messages\":[{\"role\":\"user\",\"content\":\"问题" + i + "\"}],\"max_tokens\":4,"
                        + "\"stream\":true}";
                futures.add(pool.submit(() -> http.postJson("/v1/chat/completions", body)));
            }
            for (Future<Http.Response> f : futures) {
                Http.Response r = f.get(120, TimeUnit.SECONDS);
                assertEquals(200, r.status(), r.body());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, server.models().queue().waiting());
        assertFalse(server.models().queue().busy());
    }

    @Test
    void askWithAModelStreamsGeneratedTokensAndListsTheEvidence() throws Exception {
        java.util.LinkedHashMap<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("西湖.txt", "西湖位于杭州，湖边有苏堤和白堤。龙井茶产于西湖周边的山中。"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(202, http.upload(files).status());
        server.pipeline().awaitIdle();
        Http.Response r = http.postJson("/api/ask", "{\"question\":\"龙井茶产于哪里？\",\"max_tokens\":5,"
                + "\"temperature\":0}");
        List<String> names = r.events().stream().map(Map.Entry::getKey).toList();
        assertEquals("retrieved", names.get(0), r.body());
        assertTrue(names.contains("token"), r.body());
        JsonNode done = DocumentApiTest.parse(r.events().get(r.events().size() - 1).getValue());
        assertEquals("model", done.get("kind").asText(), done.toString());
        assertFalse(done.get("sources").isEmpty());
        assertEquals("西湖.txt", done.get("sources").get(0).get("file_name").asText());

        JsonNode chat = http.postJson("/api/ask", "{\"question\":\"你好\",\"mode\":\"chat\",\"max_tokens\":3,"
                + "\"stream\":false}").json();
        assertEquals("chat", chat.get("kind").asText());
        assertTrue(chat.get("sources").isEmpty());
    }
}
