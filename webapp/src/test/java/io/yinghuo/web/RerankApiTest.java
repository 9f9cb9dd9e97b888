package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's reranker ({@code serve --reranker}) reaches every question's pipeline, and its failure the client. */
class RerankApiTest {

    @TempDir
    static Path dir;
    static WebServer server;
    static Http http;
    /** The queries the reranker was asked with; it fails on a query that mentions 发源. */
    static final List<String> queries = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        ScoringModel reranker = (List<TextSegment> segments, String query) -> {
            queries.add(query);
            if (query.contains("发源")) {
                throw new IllegalStateException("the reranker model.onnx failed to run: out of memory");
            }
            return Response.from(segments.stream().map(s -> s.text().contains("母亲河") ? 0.9 : 0.1).toList());
        };
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")),
                ModelService.none(4), null, reranker).start();
        http = new Http("http://127.0.0.1:" + server.port());
        assertEquals(202, http.upload(Map.of("rivers.txt", DocumentApiTest.RIVERS.getBytes(StandardCharsets.UTF_8)))
                .status());
        server.pipeline().awaitIdle();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void questionsAreRerankedWithTheirPartsText() {
        queries.clear();
        JsonNode search = http.postJson("/api/ask", "{\"question\":\"长江有多长？另外，黄河被称为什么？\","
                + "\"mode\":\"search\",\"stream\":false}").json();
        List<String> parts = new java.util.ArrayList<>();
        search.get("parts").forEach(part -> parts.add(part.asText()));
        assertEquals(2, parts.size(), search.toString());
        assertEquals(parts, queries, "one call per part, with the part's text");
        assertEquals(0, search.get("sources").get(0).get("part").asInt(), "the parts still take turns");
        assertEquals(1, search.get("sources").get(1).get("part").asInt(), "the parts still take turns");
    }

    @Test
    void aFailingRerankerIsAServerErrorWithItsReason() {
        Http.Response r = http.postJson("/api/ask", "{\"question\":\"长江发源于哪里\",\"mode\":\"search\","
                + "\"stream\":false}");
        assertEquals(500, r.status(), r.body());
        assertTrue(r.body().contains("重排序失败") && r.body().contains("out of memory"), r.body());
    }
}
