package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.runtime.ModelOptions;
import io.yinghuo.web.generation.GenerationQueue;
import io.yinghuo.web.generation.ModelService;
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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that go away from a generation (while queued or while generating, streamed or not) give the model back,
 * and a full queue refuses streamed requests with 503 before the stream begins.
 */
class AbandonedGenerationTest {

    static final int MAX_WAITING = 10;
    static final long AWAIT_MILLIS = 30_000;

    @TempDir
    static Path dir;
    static WebServer server;
    static GenerationQueue queue;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        // one sequence at a time: the queue lets one generation through, so a held ticket makes the others wait
        ModelService models = ModelService.load(TinyModel.folder(dir), new ModelOptions(DeviceSpec.parse("cpu"), 1,
                null, TinyModel.CONTEXT, 1, 0), "alpaca2", MAX_WAITING, line -> { });
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")), models)
                .start();
        queue = server.models().queue();
        http = new Http("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    /** Sends a complete request on a raw socket and leaves it open (the client then waits for the answer). */
    static Socket send(String path, String json) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    static String nonStreamed(int i, int maxTokens) {
        return switch (i % 4) {
            case 0 -> "/v1/chat/completions|{\"messages\":[{\"role\":\"user\",\"content\":\"你好" + i
                    + "\"}],\"max_tokens\":" + maxTokens + ",\"temperature\":0}";
            case 1 -> "/v1/completions|{\"prompt\":\"从前有座山" + i + "\",\"max_tokens\":" + maxTokens
                    + ",\"temperature\":0}";
            case 2 -> "/api/ask|{\"question\":\"问题" + i + "\",\"mode\":\"chat\",\"stream\":false,\"max_tokens\":" + maxTokens + "}";
            default -> "/api/ask?stream=false|{\"question\":\"问题" + i + "\",\"mode\":\"chat\",\"max_tokens\":" + maxTokens + "}";
        };
    }

    static Socket sendNonStreamed(int i, int maxTokens) throws IOException {
        String[] parts = nonStreamed(i, maxTokens).split("\\|", 2);
        return send(parts[0], parts[1]);
    }

    @Test
    void abandonedQueuedRequestsLeaveTheQueueAndAFullQueueRefusesStreamsWith503() throws Exception {
        GenerationQueue.Ticket holder = queue.enter(); // the model is busy with someone else's long answer
        assertTrue(queue.awaitTurn(holder, 0));
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_WAITING; i++) {
                clients.add(sendNonStreamed(i, 1000));
            }
            assertTrue(queue.awaitState((waiting, running) -> waiting == MAX_WAITING, AWAIT_MILLIS),
                    "all " + MAX_WAITING + " requests wait: " + queue.waiting());

            // the queue is full: streams are refused before they begin, with the usual JSON error body
            assertRefused(http.postJson("/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}"), true);
            assertRefused(http.postJson("/v1/completions", "{\"prompt\":\"hi\",\"stream\":true}"), true);
            assertRefused(http.postJson("/api/ask", "{\"question\":\"还有位置吗\"}"), false);
            assertRefused(http.postJson("/api/ask", "{\"question\":\"还有位置吗\",\"stream\":false}"), false);
            assertEquals(MAX_WAITING, queue.waiting(), "refused requests took no place");

            for (Socket client : clients) {
                client.close(); // the clients give up while queued
            }
            assertTrue(queue.awaitState((waiting, running) -> waiting == 0, AWAIT_MILLIS),
                    "abandoned requests left the queue: " + queue.waiting() + " still wait");
        } finally {
            queue.leave(holder);
            for (Socket client : clients) {
                client.close();
            }
        }
        // nothing of theirs runs: the next caller is served at once
        assertTrue(queue.awaitState((waiting, running) -> waiting == 0 && !running, AWAIT_MILLIS));
        long started = System.nanoTime();
        Http.Response later = http.postJson("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}],\"max_tokens\":4,\"temperature\":0}");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, later.status(), later.body());
        System.out.println("later request after " + MAX_WAITING + " abandoned queued ones: " + millis + " ms");
    }

    static void assertRefused(Http.Response response, boolean openAi) {
        assertEquals(503, response.status(), response.body());
        assertEquals(String.valueOf(GenerationQueue.RETRY_AFTER_SECONDS),
                response.headers().firstValue("Retry-After").orElse(null));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonNode error = response.json().path("error");
        assertEquals("queue_full", error.path("code").asText());
        assertEquals("server_error", error.path("type").asText());
        assertFalse(error.path("message").asText().isBlank());
        assertTrue(response.json().has("error") && (openAi || response.json().size() == 1));
    }

    /**
     * The wiring on every non-streamed route with a real model. The tiny model ends most answers on its own within a
     * few hundred tokens (well under a second), so this shows the model given back, not that it was cut short:
     * {@link ClientProbeTest} proves the cancellation with a model that generates until it is cancelled.
     */
    @Test
    void abandonedGeneratingRequestsGiveTheModelBack() throws Exception {
        assertTrue(queue.awaitState((waiting, running) -> waiting == 0 && !running, AWAIT_MILLIS));
        // how long one such generation takes when its client waits (the cost of each abandoned one before)
        long started = System.nanoTime();
        Http.Response whole = http.postJson("/v1/completions",
                "{\"prompt\":\"从前有座山\",\"max_tokens\":1500,\"temperature\":0}");
        long wholeMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, whole.status(), whole.body());
        int generated = whole.json().path("usage").path("completion_tokens").asInt();
        System.out.println("one complete generation: " + generated + " tokens in " + wholeMillis + " ms");

        for (int i = 0; i < 4; i++) {
            long admittedBefore = queue.admitted();
            Socket client = sendNonStreamed(i, 1500);
            try {
                // the tiny model may finish within the 25 ms it takes: wait for the admission, not for "running"
                assertTrue(queue.awaitAdmitted(admittedBefore + 1, AWAIT_MILLIS), "it reached the model");
            } finally {
                client.close(); // the client gives up while the model generates
            }
            long closed = System.nanoTime();
            assertTrue(queue.awaitState((waiting, running) -> !running, AWAIT_MILLIS), "the model was released");
            System.out.println(nonStreamed(i, 1500).split("\\|")[0] + " abandoned while generating: released "
                    + (System.nanoTime() - closed) / 1_000_000 + " ms after the client left");
        }
        Http.Response later = http.postJson("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}],\"max_tokens\":4,\"temperature\":0}");
        assertEquals(200, later.status(), later.body());
    }

    /** Reads the response until {@code marker} has arrived; false when the server closed first. */
    static boolean readUntil(Socket socket, String marker) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) > 0) {
            seen.write(buffer, 0, n);
            if (seen.toString(StandardCharsets.UTF_8).contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A streamed answer (Server-Sent Events) whose client closes its socket after the first token: the server's next
     * write fails, the route cancels the generation and gives the model back, and the next caller is answered.
     * Per route: the request, the marker of its first token, the marker of a stream's end.
     */
    @Test
    void streamsWhoseClientLeavesAfterTheFirstTokenGiveTheModelBack() throws Exception {
        String[][] streams = {
                {"/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}],"
                        + "\"max_tokens\":1500,\"temperature\":0,\"stream\":true}", "\"delta\":{\"content\":\"",
                        "data: [DONE]"},
                {"/v1/completions", "{\"prompt\":\"从前有座山\",\"max_tokens\":1500,\"temperature\":0,"
                        + "\"stream\":true}", "\"text\":\"", "data: [DONE]"},
                {"/api/ask", "{\"question\":\"问题\",\"mode\":\"chat\",\"max_tokens\":1500}", "event: token",
                        "event: done"},
        };
        for (String[] stream : streams) {
            assertTrue(queue.awaitState((waiting, running) -> waiting == 0 && !running, AWAIT_MILLIS));
            long admittedBefore = queue.admitted();
            try (Socket client = send(stream[0], stream[1])) {
                assertTrue(readUntil(client, stream[2]), stream[0] + " streamed a token");
                assertEquals(admittedBefore + 1, queue.admitted(), "it holds the model");
            } // the client leaves mid-answer
            long closed = System.nanoTime();
            assertTrue(queue.awaitState((waiting, running) -> !running, AWAIT_MILLIS), "the model was released");
            System.out.println(stream[0] + " stream abandoned after its first token: model released "
                    + (System.nanoTime() - closed) / 1_000_000 + " ms after the client left");
            Http.Response later = http.postJson(stream[0], stream[1].replace("1500", "4"));
            assertEquals(200, later.status(), later.body());
            assertTrue(later.body().contains(stream[3]), "the next stream is answered: " + later.body());
        }
    }

    /**
     * Streamed requests whose client closes its socket as soon as the request is sent: the server commits the
     * stream's headers, and its first write fails (for a chat, the role chunk, written before the generation takes
     * its turn). Each request gives its place in the queue back, so the model still serves the next caller; a place
     * kept by one of them would stand first in the queue for good and every later request would wait behind it.
     */
    @Test
    void streamsWhoseClientLeavesBeforeTheFirstChunkGiveTheirPlaceBack() throws Exception {
        String[][] streams = {
                {"/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}],"
                        + "\"max_tokens\":4,\"stream\":true}", "data: [DONE]"},
                {"/v1/completions", "{\"prompt\":\"从前有座山\",\"max_tokens\":4,\"stream\":true}",
                        "data: [DONE]"},
                {"/api/ask", "{\"question\":\"问题\",\"mode\":\"chat\",\"max_tokens\":4}", "event: done"},
        };
        for (String[] stream : streams) {
            for (int i = 0; i < 5; i++) {
                send(stream[0], stream[1]).close(); // gone before the server answers a byte
            }
            // the next caller is answered (a place kept by an abandoned request would make it wait for good)
            java.net.http.HttpResponse<String> later = java.net.http.HttpClient.newHttpClient().sendAsync(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port()
                                    + stream[0])).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(stream[1])).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                    .get(AWAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS); // a stream's headers come at once
            assertEquals(200, later.statusCode(), later.body());
            assertTrue(later.body().contains(stream[2]), stream[0] + " answered to its end: " + later.body());
            assertTrue(queue.awaitState((waiting, running) -> waiting == 0 && !running, AWAIT_MILLIS),
                    stream[0] + ": every abandoned request left the queue; still waiting: " + queue.waiting());
        }
    }
}
