package io.yinghuo.cli;

import io.yinghuo.web.TestEmbeddings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
 * {@code yinghuo serve}: refuses an exposed host without a key; starts without a model and stops cleanly; hybrid by
 * default (with a small test embedding model in place of the built-in one), keywords only with --no-vectors.
 */
class ServeCommandTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final TestEmbeddingModel embeddings = new TestEmbeddingModel();

    @Test
    void refusesAnExposedHostWithoutAnApiKeyInOneLine() {
        CliRun.Result r = CliRun.run("serve", "--data", dir.resolve("data").toString(), "--host", "0.0.0.0",
                "--port", "0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("API key"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void servesWithoutAModelUntilStoppedAndSaysWhatItServes() throws Exception {
        Started serve = startAndStop();
        assertTrue(serve.health().contains("\"model_loaded\":false"), serve.health());
        assertTrue(serve.health().contains("\"vectors\":{\"enabled\":true,\"space\":\"" + TestEmbeddings.MODEL_ID),
                "hybrid by default: " + serve.health());
        assertEquals(1, embeddings.made());
        assertEquals("yinghuo serve: http://127.0.0.1:" + serve.port() + "/  (data " + dir.resolve("data")
                + ", no model: answers quote the documents, hybrid search, 语义索引 in the background,"
                + " no API key, loopback only)", serve.firstLine());
        // stopped means closed: the index is free for the next command
        CliRun.Result ingest = CliRun.run("ingest", "--data", dir.resolve("data").toString(), "--no-vectors",
                java.nio.file.Files.writeString(dir.resolve("a.txt"), "停止后索引可以再次打开。").toString());
        assertEquals(0, ingest.code(), ingest.out() + ingest.err());
    }

    @Test
    void noVectorsServesKeywordsOnlyWithoutAnEmbeddingModel() throws Exception {
        Started serve = startAndStop("--no-vectors");
        assertTrue(serve.health().contains("\"vectors\":{\"enabled\":false}"), serve.health());
        assertEquals(0, embeddings.made(), "no embedding model made");
        assertTrue(serve.firstLine().endsWith(", keyword search only, no API key, loopback only)"), serve.firstLine());
    }

    @Test
    void aKeyIsAnnouncedAndTheSmallestLimitsAreAccepted() throws Exception {
        Started serve = startAndStop("--api-key", "k-123456", "--max-upload-mb", "1", "--max-files", "1");
        assertTrue(serve.health().contains("\"status\""), serve.health());
        assertTrue(serve.firstLine().endsWith(", API key required)"), serve.firstLine());
    }

    @Test
    void limitsBelowOneAreRefusedInOneLine() {
        for (String[] limit : new String[][] {{"--max-upload-mb", "0"}, {"--max-files", "0"}}) {
            CliRun.Result r = CliRun.run("serve", "--data", dir.resolve("data").toString(), "--port", "0",
                    limit[0], limit[1]);
            assertEquals(1, r.code(), r.out());
            assertTrue(r.err().contains("--max-upload-mb and --max-files must be at least 1"), r.err());
        }
    }

    private record Started(int port, String health, String firstLine) {
    }

    /**
     * Starts serve with these options (and a fresh data folder on any free port), reads /api/health (with the key
     * when one is given), stops it; returns what it printed first.
     */
    private Started startAndStop(String... options) throws Exception {
        ServeCommand serve = new ServeCommand();
        CommandLine cli = new CommandLine(serve);
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--data",
                dir.resolve("data").toString(), "--port", "0"), java.util.Arrays.stream(options))
                .toArray(String[]::new);
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(args));
            assertTrue(serve.started.await(60, TimeUnit.SECONDS), "the server started");
            int key = java.util.Arrays.asList(options).indexOf("--api-key");
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + serve.server.port() + "/api/health"));
            if (key >= 0) {
                request.header("X-API-Key", options[key + 1]);
            }
            HttpResponse<String> health = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            int port = serve.server.port();
            serve.stop();
            assertEquals(0, exit.get(60, TimeUnit.SECONDS));
            return new Started(port, health.body(),
                    printed.toString(java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse(""));
        } finally {
            System.setOut(stdout);
        }
    }
}
