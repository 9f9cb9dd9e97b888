package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.web.generation.ModelService;
import io.yinghuo.web.generation.remote.CalibratedTokenEstimate;
import io.yinghuo.web.generation.remote.RemoteModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve --model-url} against a server that sends its response headers and then goes silent (the stall
 * watchdog of {@code RemoteStreamingChatModel}: the OpenAI client's own timeout ends at the headers), a client that
 * leaves a remote answer mid-stream (the request on the remote server is cancelled), and what {@code /api/model}
 * says of token counting.
 */
class RemoteStallAndCancelTest {

    /**
     * The remote client's timeout where a test waits for it: connecting, the headers, and the longest silence in a
     * stream, the wait for the first token included. Long enough for the tiny model's first token on a busy machine
     * where a test needs one; the other tests use 60 s.
     */
    static final Duration STALL = Duration.ofSeconds(2);
    static final Duration FIRST_TOKEN_THEN_STALL = Duration.ofSeconds(8);
    static final Duration NO_STALL = Duration.ofSeconds(60);
    static final long AWAIT_MILLIS = 30_000;
    /** The first event of a chat stream, before any token: {@code "delta":{"role":"assistant","content":""}}. */
    static final Pattern ROLE_CHUNK = Pattern.compile("\"role\":\"assistant\"");
    /** An event carrying part of the answer. */
    static final Pattern CONTENT_CHUNK = Pattern.compile("\"content\":\"[^\"]");

    @TempDir
    static Path dir;
    static WebServer backend;

    @BeforeAll
    static void startBackend() throws IOException {
        backend = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("backend")),
                TinyModel.load(dir)).start();
    }

    @AfterAll
    static void stopBackend() throws IOException {
        backend.close();
    }

    static ModelService remote(List<String> urls, Duration timeout) {
        RemoteModel model = RemoteModel.connect(new RemoteModel.Config(urls, null, null, timeout,
                Duration.ofSeconds(60), TinyModel.CONTEXT, 512,
                new CalibratedTokenEstimate(new RemoteModelTest.CharacterCount()), "estimate"), line -> { });
        return ModelService.remote(model, 64, 4 * urls.size());
    }

    static WebServer front(ModelService models) throws IOException {
        return WebServer.create(ServerOptions.defaults().withPort(0),
                DataFolder.at(dir.resolve("front-" + System.nanoTime())), models).start();
    }

    static String url(WebServer server) {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    @Test
    void aServerThatGoesSilentAfterItsHeadersTimesOutAndTheRequestGoesToTheOther() throws Exception {
        try (TcpRelay silent = new TcpRelay(backend.port());
             ModelService models = remote(List.of(silent.url(), url(backend)), STALL)) {
            silent.holdAfterEvent(ROLE_CHUNK); // 200, headers and the role chunk; then not a byte more
            long start = System.nanoTime();
            // the first request goes to the first endpoint (both idle), which stalls before any token
            ChatResponse answer = RemoteModelTest.generate(models.streamingChat(),
                    RemoteModelTest.greedy("沉默的服务器", 4, List.of()), new ArrayList<>());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(silent.holding(), "the first endpoint was asked and went silent after its headers");
            assertNotNull(answer.aiMessage().text(), "answered by the other endpoint");
            assertTrue(millis >= STALL.toMillis(), "the silent server had its whole timeout: " + millis + " ms");
            assertTrue(millis < 30_000, "and not much more than about that: " + millis + " ms");

            JsonNode endpoints = models.info().get("endpoints");
            assertEquals("down", endpoints.get(0).get("state").asText(), endpoints.toString());
            assertEquals("timed out", endpoints.get(0).get("last_error").asText(), endpoints.toString());
            assertEquals(0, endpoints.get(0).get("outstanding").asInt(), "the stalled request was given up");
            assertEquals(1, endpoints.get(1).get("served").asInt(), endpoints.toString());
        }
    }

    @Test
    void aServerThatGoesSilentMidAnswerEndsTheAnswerWithATimeoutInChinese() throws Exception {
        try (TcpRelay stalling = new TcpRelay(backend.port())) {
            stalling.holdAfterEvent(CONTENT_CHUNK); // the first piece of the answer, then silence
            WebServer front = front(remote(List.of(stalling.url()), FIRST_TOKEN_THEN_STALL));
            try {
                Http http = new Http("http://127.0.0.1:" + front.port())
                        .withHeaders(Map.of("Accept-Language", "zh-CN"));
                long start = System.nanoTime();
                Http.Response r = http.postJson("/api/ask", "{\"question\":\"讲个长故事\",\"mode\":\"chat\","
                        + "\"max_tokens\":" + RemoteModelTest.LONG_ANSWER + "}");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(200, r.status(), r.body());
                List<Map.Entry<String, String>> events = r.events();
                Map.Entry<String, String> last = events.get(events.size() - 1);
                assertEquals("error", last.getKey(), r.body());
                String message = Json.MAPPER.readTree(last.getValue()).path("error").path("message").asText();
                assertTrue(message.contains("远程模型服务器在回答过程中出错"), message);
                assertTrue(message.contains(stalling.url() + ": timed out"), "names the server and why: " + message);
                assertTrue(millis >= FIRST_TOKEN_THEN_STALL.toMillis(),
                        "a pause shorter than the timeout is waited out: " + millis + " ms");

                JsonNode endpoint = http.get("/api/model").json().get("endpoints").get(0);
                assertEquals("down", endpoint.get("state").asText(), endpoint.toString());
                assertEquals(0, endpoint.get("outstanding").asInt(), endpoint.toString());
            } finally {
                front.close();
            }
        }
    }

    @Test
    void aClientLeavingARemoteAnswerCancelsTheRequestOnTheRemoteServer() throws Exception {
        try (TcpRelay relay = new TcpRelay(backend.port())) {
            // the remote streams one piece and then waits: only a cancel from the front ends that request
            relay.holdAfterEvent(CONTENT_CHUNK);
            WebServer front = front(remote(List.of(relay.url()), NO_STALL));
            try {
                String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"讲个长故事\"}],\"stream\":true,"
                        + "\"max_tokens\":" + RemoteModelTest.LONG_ANSWER + "}";
                try (Socket client = post(front.port(), "/v1/chat/completions", body)) {
                    assertTrue(readUntil(client.getInputStream(), CONTENT_CHUNK), "a piece of the answer came");
                } // the client leaves
                assertTrue(relay.awaitClientLeft(AWAIT_MILLIS),
                        "the front closed its request to the remote server");
                assertTrue(front.models().queue().awaitState((waiting, running) -> !running, AWAIT_MILLIS));
                Http http = new Http("http://127.0.0.1:" + front.port());
                JsonNode endpoint = http.get("/api/model").json().get("endpoints").get(0);
                assertEquals(0, endpoint.get("outstanding").asInt(), "the endpoint was given back: " + endpoint);
                assertEquals("up", endpoint.get("state").asText(), "a cancel is no failure: " + endpoint);

                relay.holdAfterEvent(null);
                Http.Response next = http.postJson("/v1/chat/completions",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}],\"max_tokens\":4}");
                assertEquals(200, next.status(), next.body());
            } finally {
                front.close();
            }
        }
    }

    @Test
    void modelInfoSaysHowPromptsAreCountedAndTheCalibrationLearnedFromAnAnswer() throws Exception {
        try (ModelService models = remote(List.of(url(backend)), NO_STALL)) {
            WebServer front = front(models);
            try {
                Http http = new Http("http://127.0.0.1:" + front.port());
                JsonNode before = http.get("/api/model").json();
                assertEquals(TinyModel.CONTEXT, before.get("context_length").asInt());
                assertEquals(512, before.path("defaults").path("max_tokens").asInt(), before.toString());
                JsonNode counting = before.get("token_counting");
                assertEquals("estimate", counting.get("method").asText(), before.toString());
                assertEquals(1.1, counting.get("factor").asDouble(), 1e-9, "uncalibrated: the margin only");
                assertEquals(0, counting.get("calibrated_from_answers").asInt());

                // long enough that the template's own tokens do not push the ratio to its bound of 4
                String question = "请用三句话介绍一下长江和黄河的源头、流经的省份以及它们对沿岸城市的影响。".repeat(3);
                ChatResponse answer = RemoteModelTest.generate(models.streamingChat(),
                        RemoteModelTest.greedy(question, 4, List.of()), new ArrayList<>());
                int reported = answer.tokenUsage().inputTokenCount();
                int estimated = 4 + question.length(); // the test's estimator: 4 a message, 1 a character
                double expected = Math.round(Math.max(0.5, Math.min(4.0, (double) reported / estimated)) * 1.1
                        * 1000) / 1000.0;

                JsonNode after = http.get("/api/model").json().get("token_counting");
                assertEquals(1, after.get("calibrated_from_answers").asInt(), after.toString());
                assertEquals(expected, after.get("factor").asDouble(), 1e-9,
                        "the server counted " + reported + " prompt tokens for an estimate of " + estimated);
                assertFalse(after.get("factor").asText().matches(".*\\.\\d{4,}"), "three decimals: " + after);
                assertTrue(expected > 1.1 * 0.5 && expected < 1.1 * 4, "a ratio inside its bounds: " + after);
            } finally {
                front.close();
            }
        }
    }

    /** Sends a complete request on a raw socket and leaves it open. */
    static Socket post(int port, String path, String json) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    /** Reads until {@code marker} is found; false when the server closed first. */
    static boolean readUntil(InputStream in, Pattern marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) > 0) {
            seen.write(buffer, 0, n);
            if (marker.matcher(seen.toString(StandardCharsets.UTF_8)).find()) {
                return true;
            }
        }
        return false;
    }
}
