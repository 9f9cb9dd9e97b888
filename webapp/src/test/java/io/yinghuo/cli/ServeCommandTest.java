package io.yinghuo.cli;

import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.web.TestEmbeddings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code yinghuo serve}: refuses an exposed host without a key; starts without a model and stops cleanly; hybrid by
 * default (with a small test embedding model in place of the built-in one), keywords only with --no-vectors.
 */
class ServeCommandTest {

    @TempDir
    Path dir;

    private Supplier<Embedder> builtIn;
    private final AtomicInteger embeddersMade = new AtomicInteger();

    @BeforeEach
    void useATestEmbeddingModel() {
        builtIn = EmbeddingChoice.builtIn;
        EmbeddingChoice.builtIn = () -> {
            embeddersMade.incrementAndGet();
            return TestEmbeddings.hashed();
        };
    }

    @AfterEach
    void restoreTheBuiltInModel() {
        EmbeddingChoice.builtIn = builtIn;
    }

    @Test
    void refusesAnExposedHostWithoutAnApiKeyInOneLine() {
        CliRun.Result r = CliRun.run("serve", "--data", dir.resolve("data").toString(), "--host", "0.0.0.0",
                "--port", "0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("API key"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void servesWithoutAModelUntilStopped() throws Exception {
        String health = healthOfAServerStartedWith();
        assertTrue(health.contains("\"model_loaded\":false"), health);
        assertTrue(health.contains("\"vectors\":{\"enabled\":true,\"space\":\"" + TestEmbeddings.MODEL_ID),
                "hybrid by default: " + health);
        assertEquals(1, embeddersMade.get());
    }

    @Test
    void noVectorsServesKeywordsOnlyWithoutAnEmbeddingModel() throws Exception {
        String health = healthOfAServerStartedWith("--no-vectors");
        assertTrue(health.contains("\"vectors\":{\"enabled\":false}"), health);
        assertEquals(0, embeddersMade.get(), "no embedding model made");
    }

    /** Starts serve with these options (and a fresh data folder on any free port), reads /api/health, stops it. */
    private String healthOfAServerStartedWith(String... options) throws Exception {
        ServeCommand serve = new ServeCommand();
        CommandLine cli = new CommandLine(serve);
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--data",
                dir.resolve("data").toString(), "--port", "0"), java.util.Arrays.stream(options))
                .toArray(String[]::new);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(args));
        assertTrue(serve.started.await(60, TimeUnit.SECONDS), "the server started");
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + serve.server.port() + "/api/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        serve.stop();
        assertEquals(0, exit.get(60, TimeUnit.SECONDS));
        return health.body();
    }
}
