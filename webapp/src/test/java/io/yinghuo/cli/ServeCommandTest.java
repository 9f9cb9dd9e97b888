package io.yinghuo.cli;

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

/** {@code yinghuo serve}: refuses an exposed host without a key; starts without a model and stops cleanly. */
class ServeCommandTest {

    @TempDir
    Path dir;

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
        ServeCommand serve = new ServeCommand();
        CommandLine cli = new CommandLine(serve);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("--data",
                dir.resolve("data").toString(), "--port", "0"));
        assertTrue(serve.started.await(60, TimeUnit.SECONDS), "the server started");
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + serve.server.port() + "/api/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"model_loaded\":false"), health.body());
        serve.stop();
        assertEquals(0, exit.get(60, TimeUnit.SECONDS));
    }
}
