package io.yinghuo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.web.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve --model-url}: one {@code serve} with the tiny model, a second one generating through it with
 * {@code --model DIR} lending only its tokenizer; the front answers questions and says the model is remote.
 */
class ServeRemoteModelCommandTest {

    @TempDir
    Path dir;

    @Test
    void servesWithARemoteModelAndSaysSo() throws Exception {
        Path tokenizer = SentencePieceModelWriter.small().write(dir.resolve("tokenizer.model"));
        Path model = dir.resolve("tiny");
        assertEquals(0, Main.run("synth-model", "--shape", "tiny", "--tokenizer", tokenizer.toString(), "--out",
                model.toString()));
        ServeCommand backend = new ServeCommand();
        CompletableFuture<Integer> backendExit = start(backend, "--data", dir.resolve("b").toString(), "--port", "0",
                "--no-vectors", "--model", model.toString(), "--ctx", "2048", "--device", "cpu");
        ServeCommand front = new ServeCommand();
        try {
            String backendUrl = "http://127.0.0.1:" + backend.server.port(); // no path: /v1 is added
            CompletableFuture<Integer> frontExit = start(front, "--data", dir.resolve("f").toString(), "--port", "0",
                    "--no-vectors", "--model-url", backendUrl, "--model", model.toString(), "--ctx", "2048");
            try {
                String base = "http://127.0.0.1:" + front.server.port();
                JsonNode info = get(base + "/api/model");
                assertTrue(info.get("remote").asBoolean(), info.toString());
                assertEquals("tiny", info.get("name").asText(), "listed by the backend: " + info);
                assertEquals(2048, info.get("context_length").asInt());
                assertTrue(info.get("token_counting").get("method").asText().startsWith("tokenizer of"),
                        info.toString());
                assertEquals(backendUrl + "/v1", info.get("endpoints").get(0).get("url").asText());

                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base + "/api/ask?stream=false")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"你好\",\"mode\":\"chat\","
                                + "\"max_tokens\":6}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals(1, get(base + "/api/model").get("endpoints").get(0).get("served").asInt());
                assertTrue(get(base + "/api/health").get("remote_model").get("endpoints_available").asInt() == 1);
            } finally {
                front.stop();
                assertEquals(0, frontExit.get(60, TimeUnit.SECONDS));
            }
        } finally {
            backend.stop();
            assertEquals(0, backendExit.get(60, TimeUnit.SECONDS));
        }
    }

    private static CompletableFuture<Integer> start(ServeCommand serve, String... args) throws Exception {
        CommandLine cli = new CommandLine(serve);
        // A thread of its own: serve blocks until stopped, and the common pool may have a single thread (Java 25
        // runs supplyAsync there even on 2 cores), where the second server would never start.
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread thread = new Thread(() -> exit.complete(cli.execute(args)), "serve-under-test");
        thread.setDaemon(true);
        thread.start();
        assertTrue(serve.started.await(60, TimeUnit.SECONDS) || exit.isDone() && fail(exit), "the server started");
        return exit;
    }

    private static boolean fail(CompletableFuture<Integer> exit) {
        throw new AssertionError("serve exited with " + exit.join());
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }
}
