package io.yinghuo.web;

import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.runtime.ModelOptions;
import io.yinghuo.web.generation.GenerationQueue;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A streamed question that has to wait for the model says so: a {@code queued} event with how many questions will be
 * served first, again whenever that number changes, and then the answer once its turn comes. The page shows this as
 * "排队中" rather than a stream that seems stuck.
 */
class QueuedAnswerStreamTest {

    @TempDir
    static Path dir;
    static WebServer server;
    static GenerationQueue queue;

    @BeforeAll
    static void start() throws Exception {
        // one sequence at a time: a held ticket makes every question wait
        ModelService models = ModelService.load(TinyModel.folder(dir), new ModelOptions(DeviceSpec.parse("cpu"), 1,
                null, TinyModel.CONTEXT, 1, 0), "alpaca2", 4, line -> { });
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")), models)
                .start();
        queue = server.models().queue();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    /** A streamed question; returns once the response's headers arrive. */
    private static Iterator<String> ask(String question) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/ask"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"" + question
                        + "\",\"mode\":\"chat\",\"max_tokens\":2}"))
                .build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        return response.body().iterator();
    }

    /** Reads the stream up to the next event (comment lines are heartbeats) and returns "name data". */
    private static String nextEvent(Iterator<String> lines) {
        String name = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ") && name != null) {
                return name + " " + line.substring(6);
            }
        }
        throw new AssertionError("the stream ended");
    }

    @Test
    void aWaitingQuestionIsToldHowManyAreAheadThenAnswered() throws Exception {
        GenerationQueue.Ticket holder = queue.enter(); // the model is busy with someone else's answer
        assertTrue(queue.awaitTurn(holder, 0));
        Iterator<String> first;
        Iterator<String> second;
        try {
            first = ask("第一个问题");
            assertEquals("queued {\"ahead\":1}", nextEvent(first), "the running answer is ahead of it");
            second = ask("第二个问题");
            assertEquals("queued {\"ahead\":2}", nextEvent(second), "the running answer and the first question");
        } finally {
            queue.leave(holder);
        }

        assertEquals("retrieved", nextEvent(first).split(" ")[0], "the first question's turn: its answer begins");
        // the second moves up (1 ahead while the first answers, 0 once it is done: how many of these it sees
        // depends on how fast the first answer is), then is answered
        String event;
        int ahead = 2;
        while ((event = nextEvent(second)).startsWith("queued ")) {
            int now = Integer.parseInt(event.replaceAll("\\D", ""));
            assertTrue(now < ahead, "only moves up, and says so only when the number changes: " + event);
            ahead = now;
        }
        assertEquals("retrieved", event.split(" ")[0], "and then answered");
        while (!(event = nextEvent(second)).startsWith("done ")) {
            assertTrue(event.startsWith("token ") || event.startsWith("sources "), event);
        }
    }
}
