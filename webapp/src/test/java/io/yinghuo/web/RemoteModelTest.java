package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import io.yinghuo.web.generation.ModelService;
import io.yinghuo.web.generation.remote.CalibratedTokenEstimate;
import io.yinghuo.web.generation.remote.RemoteModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve --model-url}: a front server whose model is two other servers (our own {@code serve} with the tiny
 * synthesized model, on loopback, each behind a {@link TcpRelay} that a test can cut as a crash would).
 */
class RemoteModelTest {

    /** Long enough that an answer is still streaming when a test looks at it. */
    static final int LONG_ANSWER = 1500;

    @TempDir
    static Path dir;
    static WebServer backendA;
    static WebServer backendB;
    static String modelName;

    @BeforeAll
    static void startBackends() throws IOException {
        backendA = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("a")),
                TinyModel.load(dir)).start();
        backendB = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("b")),
                TinyModel.load(dir)).start();
        modelName = backendA.models().name();
    }

    @AfterAll
    static void stopBackends() throws IOException {
        backendA.close();
        backendB.close();
    }

    static ModelService remote(List<String> urls, int retrySeconds) {
        return remote(urls, retrySeconds, Duration.ofSeconds(30));
    }

    static ModelService remote(List<String> urls, int retrySeconds, Duration timeout) {
        RemoteModel model = RemoteModel.connect(new RemoteModel.Config(urls, null, null, timeout,
                Duration.ofSeconds(retrySeconds), TinyModel.CONTEXT, 512,
                new CalibratedTokenEstimate(new CharacterCount()), "estimate"),
                line -> { });
        return ModelService.remote(model, 64, 4 * urls.size());
    }

    static WebServer front(ModelService models) throws IOException {
        return WebServer.create(ServerOptions.defaults().withPort(0),
                DataFolder.at(dir.resolve("front-" + System.nanoTime())), models).start();
    }

    static String url(WebServer server) {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    /** Generates through {@code model}; the text and the complete response. */
    static ChatResponse generate(StreamingChatModel model, ChatRequest request, List<String> pieces)
            throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
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
        return done.get(120, TimeUnit.SECONDS);
    }

    static ChatRequest greedy(String question, int maxTokens, List<String> stop) {
        return ChatRequest.builder().messages(UserMessage.from(question)).parameters(YinghuoChatRequestParameters
                .builder().temperature(0.0).maxOutputTokens(maxTokens).stopSequences(stop).build()).build();
    }

    @Test
    void answersStreamThroughTheRemoteWithTemperatureMaxTokensAndStopPassedOn() throws Exception {
        try (ModelService models = remote(List.of(url(backendA)), 10)) {
            assertEquals(modelName, models.name(), "the name is listed by the server's /v1/models");
            List<String> local = new ArrayList<>();
            ChatResponse direct = generate(backendA.models().chat(), greedy("你好，世界", 12, List.of()), local);
            List<String> pieces = new ArrayList<>();
            ChatResponse remote = generate(models.streamingChat(), greedy("你好，世界", 12, List.of()), pieces);
            assertEquals(direct.aiMessage().text(), remote.aiMessage().text());
            assertEquals(remote.aiMessage().text(), String.join("", pieces));
            assertTrue(pieces.size() > 1, "streamed in pieces: " + pieces);
            assertEquals(direct.tokenUsage().inputTokenCount(), remote.tokenUsage().inputTokenCount(),
                    "the server's usage comes back");

            String text = direct.aiMessage().text();
            assertTrue(text.length() >= 4, "a greedy answer long enough to stop in: " + text);
            String stop = text.substring(2, 4);
            ChatResponse stopped = generate(models.streamingChat(), greedy("你好，世界", 12, List.of(stop)),
                    new ArrayList<>());
            assertEquals(text.substring(0, text.indexOf(stop)), stopped.aiMessage().text(), "stopped before " + stop);
        }
    }

    @Test
    void askApiAnswersThroughTheFrontAndModelInfoSaysRemote() throws Exception {
        try (TcpRelay a = new TcpRelay(backendA.port()); TcpRelay b = new TcpRelay(backendB.port())) {
            WebServer front = front(remote(List.of(a.url(), b.url()), 10));
            try {
                Http http = new Http("http://127.0.0.1:" + front.port());
                Http.Response r = http.postJson("/api/ask",
                        "{\"question\":\"你好\",\"mode\":\"chat\",\"max_tokens\":8,\"temperature\":0}");
                assertEquals(200, r.status(), r.body());
                List<Map.Entry<String, String>> events = r.events();
                assertTrue(events.stream().anyMatch(e -> e.getKey().equals("token")), r.body());
                assertEquals("done", events.get(events.size() - 1).getKey(), r.body());

                JsonNode info = http.get("/api/model").json();
                assertTrue(info.get("remote").asBoolean());
                assertEquals(modelName, info.get("name").asText());
                assertEquals(2, info.get("endpoints").size());
                assertEquals("up", info.get("endpoints").get(0).get("state").asText());
                JsonNode health = http.get("/api/health").json();
                assertTrue(health.get("model_loaded").asBoolean());
                assertEquals(2, health.get("remote_model").get("endpoints_available").asInt());
            } finally {
                front.close();
            }
        }
    }

    @Test
    void twoRequestsAreSpreadOverTheBackends() throws Exception {
        try (ModelService models = remote(List.of(url(backendA), url(backendB)), 10)) {
            List<CompletableFuture<ChatResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String question = "并发问题" + i;
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return generate(models.streamingChat(), greedy(question, LONG_ANSWER, List.of()),
                                new ArrayList<>());
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            for (CompletableFuture<ChatResponse> answer : answers) {
                assertNotNull(answer.get(120, TimeUnit.SECONDS).aiMessage().text());
            }
            // Least outstanding requests, ties taking turns: whether or not the two overlapped, each backend served one.
            List<Integer> served = new ArrayList<>();
            models.remoteHealth().get("endpoints").forEach(e -> served.add(e.get("served").asInt()));
            assertEquals(List.of(1, 1), served, models.remoteHealth().toString());
        }
    }

    @Test
    void backendKilledMidStreamEndsThatAnswerWithAClearErrorAndTheNextGoesToTheOther() throws Exception {
        try (TcpRelay a = new TcpRelay(backendA.port()); TcpRelay b = new TcpRelay(backendB.port())) {
            WebServer front = front(remote(List.of(a.url(), b.url()), 60));
            try {
                String base = "http://127.0.0.1:" + front.port();
                HttpClient client = HttpClient.newHttpClient();
                HttpRequest ask = HttpRequest.newBuilder(URI.create(base + "/api/ask"))
                        .header("Content-Type", "application/json").header("Accept-Language", "en")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"讲个长故事\",\"mode\":\"chat\","
                                + "\"max_tokens\":" + LONG_ANSWER + "}")).build();
                // the random-weight model may finish its answer in milliseconds, before a cut made on the first
                // token seen here could land: whichever relay serves holds the stream after its first content event
                Pattern firstContent = Pattern.compile("\"content\":\"[^\"]");
                a.holdAfterEvent(firstContent);
                b.holdAfterEvent(firstContent);
                HttpResponse<InputStream> response = client.send(ask, HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, response.statusCode());
                List<String> events = new ArrayList<>();
                TcpRelay killed = null;
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    String event = null;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("event: ")) {
                            event = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                            events.add(event + " " + line.substring(6));
                            if ("token".equals(event) && killed == null) {
                                killed = a.holding() ? a : b;
                                (killed == a ? b : a).holdAfterEvent(null);
                                killed.cut();
                            }
                            if ("error".equals(event) || "done".equals(event)) {
                                break;
                            }
                        }
                    }
                }
                assertNotNull(killed, "tokens streamed: " + events);
                String last = events.get(events.size() - 1);
                assertTrue(last.startsWith("error "), "the answer ends with an error: " + last);
                assertTrue(last.contains("the remote model server failed during the answer"), last);
                assertTrue(last.contains(killed.url()), "the error names the server: " + last);

                Http http = new Http(base);
                Http.Response next = http.postJson("/api/ask?stream=false",
                        "{\"question\":\"再问一次\",\"mode\":\"chat\",\"max_tokens\":8}");
                assertEquals(200, next.status(), next.body());
                JsonNode info = http.get("/api/model").json();
                TcpRelay survivor = killed == a ? b : a;
                for (JsonNode e : info.get("endpoints")) {
                    boolean isKilled = e.get("url").asText().equals(killed.url());
                    assertEquals(isKilled ? "down" : "up", e.get("state").asText(), info.toString());
                    if (!isKilled) {
                        assertEquals(survivor.url(), e.get("url").asText());
                        assertTrue(e.get("served").asInt() >= 1, info.toString());
                    }
                }
            } finally {
                front.close();
            }
        }
    }

    @Test
    void aRequestRefusedBeforeAnyTokenIsRetriedOnTheOtherEndpoint() throws Exception {
        int dead = freePort();
        try (ModelService models = remote(List.of("http://127.0.0.1:" + dead + "/v1", url(backendA)), 60)) {
            for (int i = 0; i < 3; i++) {
                ChatResponse r = generate(models.streamingChat(), greedy("你好" + i, 4, List.of()),
                        new ArrayList<>());
                assertNotNull(r.aiMessage().text());
            }
            JsonNode endpoints = models.info().get("endpoints");
            assertEquals("down", endpoints.get(0).get("state").asText(), endpoints.toString());
            assertTrue(endpoints.get(0).get("last_error").asText().contains("connection refused"),
                    endpoints.toString());
            assertEquals(3, endpoints.get(1).get("served").asInt(), endpoints.toString());
        }
    }

    @Test
    void bothBackendsDownIsAClear503() throws Exception {
        List<String> dead = List.of("http://127.0.0.1:" + freePort() + "/v1", "http://127.0.0.1:" + freePort() + "/v1");
        WebServer front = front(remote(dead, 30));
        try {
            Http http = new Http("http://127.0.0.1:" + front.port());
            Http.Response first = http.withHeaders(Map.of("Accept-Language", "en")).postJson("/api/ask?stream=false",
                    "{\"question\":\"你好\",\"mode\":\"chat\",\"max_tokens\":8}");
            assertEquals(503, first.status(), first.body());
            assertTrue(first.body().contains("no remote model server could answer"), first.body());
            assertTrue(first.body().contains("connection refused"), first.body());
            assertTrue(first.headers().firstValue("Retry-After").isPresent());

            // now both are known down: refused before a stream starts, in the user's language
            Http.Response streamed = http.withHeaders(Map.of("Accept-Language", "zh-CN")).postJson("/api/ask",
                    "{\"question\":\"你好\",\"mode\":\"chat\",\"max_tokens\":8}");
            assertEquals(503, streamed.status(), streamed.body());
            assertTrue(streamed.body().contains("无法连接远程模型服务器"), streamed.body());
            assertFalse(http.get("/api/health").json().get("remote_model").get("endpoints_available").asBoolean());
        } finally {
            front.close();
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndTheRequestGoesToTheOther() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                List<java.net.Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept()); // connections accepted, never answered
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            accept.setDaemon(true);
            accept.start();
            String silentUrl = "http://127.0.0.1:" + silent.getLocalPort() + "/v1";
            try (ModelService models = remote(List.of(silentUrl, url(backendA)), 60, Duration.ofSeconds(1))) {
                for (int i = 0; i < 2; i++) {
                    long start = System.nanoTime();
                    ChatResponse r = generate(models.streamingChat(), greedy("超时" + i, 4, List.of()),
                            new ArrayList<>());
                    assertNotNull(r.aiMessage().text());
                    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
                }
                JsonNode endpoints = models.info().get("endpoints");
                assertEquals("down", endpoints.get(0).get("state").asText(), endpoints.toString());
                assertEquals("timed out", endpoints.get(0).get("last_error").asText(), endpoints.toString());
                assertEquals(1, endpoints.get(0).get("failures").asInt(), "skipped while down: " + endpoints);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** One token a character and four a message: enough for packing in these tests. */
    static final class CharacterCount implements dev.langchain4j.model.TokenCountEstimator {
        @Override
        public int estimateTokenCountInText(String text) {
            return text == null ? 0 : text.length();
        }

        @Override
        public int estimateTokenCountInMessage(dev.langchain4j.data.message.ChatMessage message) {
            return 4 + (message instanceof UserMessage u && u.hasSingleText() ? u.singleText().length() : 0);
        }

        @Override
        public int estimateTokenCountInMessages(Iterable<dev.langchain4j.data.message.ChatMessage> messages) {
            int n = 0;
            for (var m : messages) {
                n += estimateTokenCountInMessage(m);
            }
            return n;
        }
    }
}
