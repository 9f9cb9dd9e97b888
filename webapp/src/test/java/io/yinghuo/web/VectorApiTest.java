package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.VectorProgress;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hybrid search in the server with a small deterministic embedding model ({@link TestEmbeddings}, never the real
 * one): the background 语义索引 as {@code /api/health}, {@code /api/ingest} and {@code /api/ingest/events} report it,
 * each document's {@code vectors} flag, and the passages' {@code retrieval} and {@code similarity}, before the
 * backfill (held back by a gate: keywords only) and after it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VectorApiTest {

    @TempDir
    static Path dir;
    static TestEmbeddings.Gate gate = new TestEmbeddings.Gate();
    static WebServer server;
    static Http http;
    static String riversId;
    static String teaId;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")),
                ModelService.none(8), TestEmbeddings.gated(gate)).start();
        http = new Http("http://127.0.0.1:" + server.port());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("rivers.txt", DocumentApiTest.RIVERS.getBytes(StandardCharsets.UTF_8));
        files.put("茶叶.md", DocumentApiTest.TEA.getBytes(StandardCharsets.UTF_8));
        JsonNode accepted = http.upload(files).json().get("files");
        riversId = accepted.get(0).get("document_id").asText();
        teaId = accepted.get(1).get("document_id").asText();
        server.pipeline().awaitIdle();
    }

    @AfterAll
    static void stop() throws IOException {
        gate.open();
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void whileTheModelLoadsDocumentsAreSearchedByKeywordsAndSaySo() {
        // The gate holds the backfill in its warm-up, i.e. "loading the model".
        Http.Response health = http.get("/api/health");
        assertFalse(health.body().contains("NaN"), health.body());
        JsonNode vectors = health.json().get("vectors");
        long chunks = health.json().get("chunks").asLong();
        assertTrue(chunks >= 2, health.body());
        assertTrue(vectors.get("enabled").asBoolean(), vectors.toString());
        assertEquals("loading", vectors.get("state").asText());
        assertEquals(TestEmbeddings.MODEL_ID + "/" + TestEmbeddings.DIMENSION, vectors.get("space").asText());
        assertEquals(0, vectors.get("chunks_done").asLong());
        assertEquals(chunks, vectors.get("chunks_total").asLong());
        assertEquals(0, vectors.get("documents_done").asInt());
        assertEquals(2, vectors.get("documents_total").asInt());
        assertFalse(vectors.get("complete").asBoolean());
        assertEquals("语义索引 0/" + chunks, vectors.get("label").asText());
        assertEquals("", vectors.get("error").asText());
        assertEquals(vectors, http.get("/api/ingest").json().get("vectors"), "the same object in /api/ingest");

        for (JsonNode document : http.get("/api/documents").json().get("documents")) {
            assertFalse(document.get("vectors").asBoolean(), document.toString());
        }
        Http.Response search = http.get("/api/search?q=%E9%BE%99%E4%BA%95%E8%8C%B6&k=5"); // 龙井茶
        assertFalse(search.body().contains("NaN"), search.body());
        JsonNode hits = search.json().get("hits");
        assertEquals(teaId, hits.get(0).get("document_id").asText());
        for (JsonNode hit : hits) {
            assertEquals("lexical", hit.get("retrieval").asText(), hit.toString());
            assertFalse(hit.has("similarity"), hit.toString());
        }
    }

    @Test
    @Order(2)
    void theBackfillReachesCompleteAndHitsBecomeHybrid() throws Exception {
        CompletableFuture<JsonNode> completeEvent = CompletableFuture.supplyAsync(VectorApiTest::firstCompleteEvent);
        gate.open();
        VectorProgress progress = server.pipeline().vectors().orElseThrow().awaitComplete();
        assertTrue(progress.complete(), progress.toString());

        JsonNode vectors = http.get("/api/health").json().get("vectors");
        long chunks = vectors.get("chunks_total").asLong();
        assertEquals("idle", vectors.get("state").asText());
        assertTrue(vectors.get("complete").asBoolean());
        assertEquals(chunks, vectors.get("chunks_done").asLong());
        assertEquals(2, vectors.get("documents_done").asInt());
        assertEquals("语义索引 " + chunks + "/" + chunks, vectors.get("label").asText());
        assertEquals("", vectors.get("current_document").asText());
        assertEquals(0, vectors.get("current_total").asInt());
        assertTrue(vectors.get("chunks_per_second").asDouble() >= 0);
        assertEquals(vectors, http.get("/api/ingest").json().get("vectors"));
        assertEquals(vectors, completeEvent.get(60, TimeUnit.SECONDS), "the event stream reports it too");

        for (JsonNode document : http.get("/api/documents").json().get("documents")) {
            assertTrue(document.get("vectors").asBoolean(), document.toString());
        }
        assertTrue(http.get("/api/documents/" + riversId).json().get("vectors").asBoolean());

        Http.Response search = http.get("/api/search?q=%E9%BE%99%E4%BA%95%E8%8C%B6&k=5"); // 龙井茶
        assertFalse(search.body().contains("NaN"), search.body());
        JsonNode top = search.json().get("hits").get(0);
        assertEquals(teaId, top.get("document_id").asText());
        assertEquals("hybrid", top.get("retrieval").asText(), top.toString());
        double similarity = top.get("similarity").asDouble();
        assertTrue(similarity > 0.5 && similarity <= 1.0, top.toString());
        JsonNode source = http.postJson("/api/ask", "{\"question\":\"龙井茶\",\"mode\":\"search\",\"sources\":1,"
                + "\"stream\":false}").json().get("sources").get(0);
        assertEquals("hybrid", source.get("retrieval").asText(), source.toString());
        assertTrue(source.has("similarity"), source.toString());
    }

    @Test
    @Order(3)
    void aDocumentUploadedLaterGetsItsVectorsToo() throws Exception {
        String id = http.upload(Map.of("西湖.txt", "西湖位于杭州，以断桥残雪闻名。".getBytes(StandardCharsets.UTF_8)))
                .json().get("files").get(0).get("document_id").asText();
        server.pipeline().awaitIdle();
        VectorProgress progress = server.pipeline().vectors().orElseThrow().awaitComplete();
        assertEquals(3, progress.documentsDone(), progress.toString());
        assertTrue(http.get("/api/documents/" + id).json().get("vectors").asBoolean());
        JsonNode vectors = http.get("/api/ingest").json().get("vectors");
        assertEquals(3, vectors.get("documents_total").asInt());
        assertTrue(vectors.get("complete").asBoolean(), vectors.toString());
    }

    /** Reads {@code /api/ingest/events} until a {@code vectors} event says the backfill is complete. */
    private static JsonNode firstCompleteEvent() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/ingest/events")).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                String event = "";
                for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ") && event.equals("vectors")) {
                        JsonNode vectors = DocumentApiTest.parse(line.substring(6));
                        if (vectors.get("complete").asBoolean() && vectors.get("state").asText().equals("idle")) {
                            return vectors;
                        }
                    }
                }
            }
            throw new AssertionError("the event stream ended without a complete vectors event");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
