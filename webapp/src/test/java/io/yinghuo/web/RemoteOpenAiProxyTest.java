package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.yinghuo.ingest.pipeline.DataFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1} of a server whose model is remote: proxied through the same streaming model as the web app's answers,
 * driven by LangChain4j's OpenAI client (a client nobody here wrote) at both ends.
 */
class RemoteOpenAiProxyTest {

    @TempDir
    static Path dir;
    static WebServer backend;
    static WebServer front;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        backend = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("b")),
                TinyModel.load(dir)).start();
        front = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("f")),
                RemoteModelTest.remote(List.of(RemoteModelTest.url(backend)), 10)).start();
        base = "http://127.0.0.1:" + front.port();
    }

    @AfterAll
    static void stop() throws IOException {
        front.close();
        backend.close();
    }

    @Test
    void chatCompletionsAreProxiedStreamedAndNot() throws Exception {
        String name = backend.models().name();
        ChatRequest request = RemoteModelTest.greedy("你好，世界", 8, List.of());
        ChatResponse direct = RemoteModelTest.generate(backend.models().chat(), request, new ArrayList<>());

        OpenAiChatModel plain = OpenAiChatModel.builder().baseUrl(base + "/v1").modelName(name).temperature(0.0)
                .maxTokens(8).build();
        assertEquals(direct.aiMessage().text(), plain.chat(ChatRequest.builder()
                .messages(UserMessage.from("你好，世界")).build()).aiMessage().text());

        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder().baseUrl(base + "/v1").modelName(name)
                .temperature(0.0).maxTokens(8).build();
        List<String> pieces = new ArrayList<>();
        ChatResponse streamed = RemoteModelTest.generate(streaming, ChatRequest.builder()
                .messages(UserMessage.from("你好，世界")).build(), pieces);
        assertEquals(direct.aiMessage().text(), streamed.aiMessage().text());
        assertEquals(streamed.aiMessage().text(), String.join("", pieces));

        Http http = new Http(base);
        JsonNode models = http.get("/v1/models").json();
        assertEquals(name, models.get("data").get(0).get("id").asText());
        Http.Response completions = http.postJson("/v1/completions", "{\"prompt\":\"你好\",\"max_tokens\":4}");
        assertEquals(501, completions.status(), completions.body());
        assertTrue(completions.body().contains("/v1/chat/completions"), completions.body());
    }

    @Test
    void allServersDownIsA503OnV1() throws Exception {
        List<String> dead = List.of("http://127.0.0.1:" + RemoteModelTest.freePort() + "/v1");
        try (WebServer lonely = WebServer.create(ServerOptions.defaults().withPort(0),
                DataFolder.at(dir.resolve("lonely")), RemoteModelTest.remote(dead, 30)).start()) {
            Http http = new Http("http://127.0.0.1:" + lonely.port());
            String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}],\"max_tokens\":4}";
            Http.Response first = http.postJson("/v1/chat/completions", body);
            assertEquals(503, first.status(), first.body());
            assertTrue(first.body().contains("no remote model server could answer"), first.body());
            Http.Response streamed = http.postJson("/v1/chat/completions", body.replace("{", "{\"stream\":true,"));
            assertEquals(503, streamed.status(), "known down: refused before the stream: " + streamed.body());
            assertTrue(streamed.headers().firstValue("Retry-After").isPresent());
        }
    }
}
