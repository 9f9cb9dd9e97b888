package io.yinghuo.web;

import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.web.generation.GenerationQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several users at once on the local model: the generation queue lets as many requests through as the model decodes
 * together (its KV slots, 4 by default), and concurrent greedy requests get the answers they get one at a time.
 */
class ConcurrentGenerationTest {
    @TempDir
    static Path dir;
    static WebServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")),
                TinyModel.load(dir)).start();
        http = new Http("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void theQueueLetsThroughAsManyGenerationsAsTheModelHasSlots() throws Exception {
        GenerationQueue queue = server.models().queue();
        List<GenerationQueue.Ticket> tickets = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                tickets.add(queue.enter());
                assertTrue(queue.awaitTurn(tickets.get(i), 0), "ticket " + i + " runs at once");
            }
            GenerationQueue.Ticket fifth = queue.enter();
            tickets.add(fifth);
            assertFalse(queue.awaitTurn(fifth, 0), "the fifth waits for a slot");
            queue.leave(tickets.get(0));
            assertTrue(queue.awaitTurn(fifth, 1000));
        } finally {
            tickets.forEach(queue::leave);
        }
    }

    @Test
    void concurrentGreedyCompletionsEqualTheSameRequestsOneAtATime() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bodies.add("{\"prompt\":\"从前有座山" + "山".repeat(i * 3) + "\",\"max_tokens\":12,\"temperature\":0}");
        }
        List<String> alone = new ArrayList<>();
        for (String body : bodies) {
            alone.add(text(http.postJson("/v1/completions", body)));
        }
        // a thread per request: the common pool has a single thread on a two-core machine
        ExecutorService clients = Executors.newFixedThreadPool(bodies.size());
        try {
            List<CompletableFuture<String>> together = new ArrayList<>();
            for (String body : bodies) {
                together.add(CompletableFuture.supplyAsync(() -> text(http.postJson("/v1/completions", body)),
                        clients));
            }
            for (int i = 0; i < bodies.size(); i++) {
                assertEquals(alone.get(i), together.get(i).join(), "request " + i);
            }
        } finally {
            clients.shutdown();
        }
    }

    private static String text(Http.Response r) {
        assertEquals(200, r.status(), r.body());
        return r.json().path("choices").path(0).path("text").asText();
    }
}
