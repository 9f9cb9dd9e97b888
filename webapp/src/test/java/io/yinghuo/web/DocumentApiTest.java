package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST API without a model: documents, ingestion, search, ask (evidence-only), and every bad input. */
class DocumentApiTest {

    static final String RIVERS = "第一章 长江\n长江是中国最长的河流，全长约六千三百公里，发源于青藏高原的唐古拉山脉。\n\n"
            + "第二章 黄河\n黄河是中国第二长河，被称为中华民族的母亲河，流经九个省区。\n";
    static final String TEA = "# 茶叶\n\n龙井茶产于杭州西湖一带，是著名的绿茶。\n\n普洱茶产于云南，可以长期存放。\n";

    @TempDir
    static Path dir;
    static WebServer server;
    static Http http;
    static String riversId;
    static String teaId;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.create(ServerOptions.defaults().withPort(0).withMaxFileBytes(64 * 1024)
                .withMaxFilesPerUpload(3), DataFolder.at(dir.resolve("data")), ModelService.none(8)).start();
        http = new Http("http://127.0.0.1:" + server.port());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("rivers.txt", RIVERS.getBytes(StandardCharsets.UTF_8));
        files.put("茶叶.md", TEA.getBytes(StandardCharsets.UTF_8));
        Http.Response r = http.upload(files);
        assertEquals(202, r.status(), r.body());
        JsonNode accepted = r.json().get("files");
        assertEquals(2, accepted.size());
        assertTrue(accepted.get(0).get("accepted").asBoolean());
        riversId = accepted.get(0).get("document_id").asText();
        teaId = accepted.get(1).get("document_id").asText();
        server.pipeline().awaitIdle();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void uploadReportsEachJobWhichFinishesWithTheDocumentInTheCatalogue() {
        JsonNode job = http.get("/api/ingest/1").json();
        assertEquals("done", job.get("stage").asText());
        assertEquals("added", job.get("outcome").asText());
        assertEquals(riversId, job.get("document_id").asText());
        assertTrue(http.get("/api/ingest").json().get("jobs").size() >= 2);

        JsonNode list = http.get("/api/documents").json();
        assertEquals(2, list.get("count").asInt());
        JsonNode rivers = http.get("/api/documents/" + riversId).json();
        assertEquals("rivers.txt", rivers.get("file_name").asText());
        assertEquals(RIVERS.getBytes(StandardCharsets.UTF_8).length, rivers.get("size_bytes").asLong());
        assertEquals(1, rivers.get("pages").asInt());
        assertTrue(rivers.get("chunks").asInt() >= 1);
        assertNotNull(rivers.get("ingested_at").asText());
    }

    @Test
    void originalIsServedInlineForTextAndAsAttachmentOnRequest() {
        Http.Response inline = http.get("/api/documents/" + teaId + "/original");
        assertEquals(200, inline.status());
        assertEquals(TEA, inline.body());
        assertTrue(inline.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(inline.headers().firstValue("Content-Disposition").orElse("").startsWith("inline"));
        assertTrue(inline.headers().firstValue("Content-Disposition").orElse("").contains("%E8%8C%B6%E5%8F%B6.md"));
        assertTrue(inline.headers().firstValue("Content-Security-Policy").orElse("").contains("sandbox"));
        Http.Response download = http.get("/api/documents/" + teaId + "/original?download=1");
        assertTrue(download.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
    }

    @Test
    void textRangeReproducesTheCitedPassageAtItsOffsets() {
        JsonNode hit = http.get("/api/search?q=%E9%BB%84%E6%B2%B3&k=1").json().get("hits").get(0); // 黄河
        int start = hit.get("start").asInt();
        int end = hit.get("end").asInt();
        JsonNode range = http.get("/api/documents/" + riversId + "/text?start=" + start + "&end=" + end).json();
        assertEquals(hit.get("text").asText(), range.get("text").asText());
        JsonNode all = http.get("/api/documents/" + riversId + "/text").json();
        assertEquals(hit.get("text").asText(), all.get("text").asText().substring(start, end));
        assertEquals(all.get("total_chars").asInt(), all.get("text").asText().length());
        assertEquals(400, http.get("/api/documents/" + riversId + "/text?start=5&end=2").status());
        assertEquals(400, http.get("/api/documents/" + riversId + "/text?start=abc").status());
    }

    @Test
    void searchReturnsCitedHitsWithEscapedHighlightMarkupAndHonoursDocumentFilters() {
        JsonNode hits = http.get("/api/search?q=%E9%BE%99%E4%BA%95%E8%8C%B6&k=3").json().get("hits"); // 龙井茶
        assertEquals(teaId, hits.get(0).get("document_id").asText());
        assertTrue(hits.get(0).get("snippet_html").asText().contains("<mark>"));
        assertEquals("茶叶.md", hits.get(0).get("file_name").asText());
        JsonNode filtered = http.get("/api/search?q=%E9%BE%99%E4%BA%95%E8%8C%B6&k=3&doc=" + riversId).json()
                .get("hits");
        for (JsonNode hit : filtered) {
            assertEquals(riversId, hit.get("document_id").asText());
        }
        assertEquals(400, http.get("/api/search").status());
        assertEquals(400, http.get("/api/search?q=x&k=0").status());
        assertEquals(400, http.get("/api/search?q=x&k=many").status());
        assertEquals(400, http.get("/api/search?q=" + "x".repeat(2001)).status());
    }

    @Test
    void askWithoutAModelStreamsTheEvidenceThenTheCitedSources() {
        Http.Response r = http.postJson("/api/ask", "{\"question\":\"长江有多长？\",\"sources\":3}");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> names = r.events().stream().map(Map.Entry::getKey).toList();
        assertEquals("retrieved", names.get(0));
        assertTrue(names.contains("token"));
        assertEquals(List.of("sources", "done"), names.subList(names.size() - 2, names.size()));
        JsonNode done = parse(r.events().get(names.size() - 1).getValue());
        assertEquals("evidence_only", done.get("kind").asText());
        assertTrue(done.get("answer").asText().contains("六千三百公里"), done.toString());
        JsonNode cited = done.get("sources").get(0);
        assertTrue(cited.get("cited").asBoolean());
        assertEquals(riversId, cited.get("document_id").asText());
        assertTrue(cited.get("start").asInt() >= 0);
        // The question's words are marked in the passage the pipeline retrieved, in the text and in the snippet.
        assertTrue(marked(cited.get("text").asText(), cited.get("highlights")).contains("长江"), cited.toString());
        JsonNode snippet = cited.get("snippet");
        assertTrue(marked(snippet.get("text").asText(), snippet.get("highlights")).contains("长江"), cited.toString());
        assertTrue(cited.get("snippet_html").asText().contains("<mark>长江</mark>"), cited.toString());
        JsonNode retrieved = parse(r.events().get(0).getValue()).get("sources");
        assertFalse(retrieved.isEmpty());
        retrieved.forEach(source -> assertFalse(source.get("cited").asBoolean()));

        JsonNode plain = http.postJson("/api/ask?stream=false", "{\"question\":\"长江有多长？\"}").json();
        assertEquals(done.get("answer").asText(), plain.get("answer").asText());
    }

    @Test
    void aSourceOfAnAnswerIsASearchHitWithItsCitationFields() {
        JsonNode hit = http.get("/api/search?q=%E9%BE%99%E4%BA%95%E8%8C%B6&k=1").json().get("hits").get(0); // 龙井茶
        JsonNode source = http.postJson("/api/ask", "{\"question\":\"龙井茶\",\"mode\":\"search\",\"sources\":1,"
                + "\"stream\":false}").json().get("sources").get(0);
        List<String> hitFields = fieldNames(hit);
        assertEquals(List.of("document_id", "file_name", "title", "collection", "page", "heading_path",
                "chunk_index", "start", "end", "score", "retrieval", "text", "highlights", "snippet", "snippet_html"),
                hitFields, "keyword-only server: lexical hits, no similarity");
        List<String> sourceFields = new java.util.ArrayList<>(hitFields);
        sourceFields.addAll(List.of("number", "part", "cited"));
        assertEquals(sourceFields, fieldNames(source));
        assertEquals(List.of("text", "offset", "highlights"), fieldNames(source.get("snippet")));
        for (String field : hitFields) {
            if (!field.equals("score")) {
                assertEquals(hit.get(field), source.get(field), field);
            }
        }
    }

    /** The server of this class has no embedding model ({@code serve --no-vectors}): keywords only, and it says so. */
    @Test
    void withoutAnEmbeddingModelVectorsAreDisabledAndHitsAreLexical() {
        assertEquals(Json.MAPPER.createObjectNode().put("enabled", false), http.get("/api/health").json()
                .get("vectors"));
        assertEquals(Json.MAPPER.createObjectNode().put("enabled", false), http.get("/api/ingest").json()
                .get("vectors"));
        for (JsonNode document : http.get("/api/documents").json().get("documents")) {
            assertFalse(document.get("vectors").asBoolean(), document.toString());
        }
        assertFalse(http.get("/api/documents/" + riversId).json().get("vectors").asBoolean());
        Http.Response search = http.get("/api/search?q=%E9%BB%84%E6%B2%B3&k=5"); // 黄河
        assertFalse(search.body().contains("NaN"), search.body());
        JsonNode hits = search.json().get("hits");
        assertFalse(hits.isEmpty());
        for (JsonNode hit : hits) {
            assertEquals("lexical", hit.get("retrieval").asText());
            assertFalse(hit.has("similarity"), hit.toString());
            assertTrue(hit.get("score").asDouble() >= 0 && hit.get("score").asDouble() <= 1, hit.toString());
        }
        assertTrue(server.pipeline().vectors().isEmpty(), "no backfill was started");
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The marked parts of {@code text}, "|"-joined. */
    static String marked(String text, JsonNode highlights) {
        List<String> parts = new java.util.ArrayList<>();
        for (JsonNode span : highlights) {
            parts.add(text.substring(span.get(0).asInt(), span.get(1).asInt()));
        }
        return String.join("|", parts);
    }

    @Test
    void askFindsNothingForAnUnrelatedQuestionAndScopesToChosenDocuments() {
        JsonNode none = http.postJson("/api/ask", "{\"question\":\"火星的卫星叫什么\",\"stream\":false}").json();
        assertEquals("not_found", none.get("kind").asText());
        assertEquals("未找到相关内容", none.get("answer").asText());

        JsonNode scoped = http.postJson("/api/ask", "{\"question\":\"长江和龙井茶\",\"stream\":false,"
                + "\"document_ids\":[\"" + teaId + "\"]}").json();
        for (JsonNode source : scoped.get("sources")) {
            assertEquals(teaId, source.get("document_id").asText());
        }
        JsonNode search = http.postJson("/api/ask", "{\"question\":\"黄河\",\"mode\":\"search\",\"stream\":false}")
                .json();
        assertEquals("search_results", search.get("kind").asText());
        assertFalse(search.get("sources").isEmpty());
    }

    @Test
    void chatModeAndOpenaiEndpointsAnswer503WithoutAModel() {
        Http.Response chat = http.postJson("/api/ask", "{\"question\":\"你好\",\"mode\":\"chat\"}");
        assertEquals(503, chat.status());
        assertEquals("model_not_loaded", chat.json().get("error").get("code").asText());
        assertEquals(503, http.postJson("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").status());
        assertEquals(0, http.get("/v1/models").json().get("data").size());
        assertFalse(http.get("/api/model").json().get("loaded").asBoolean());
        JsonNode health = http.get("/api/health").json();
        assertEquals("ok", health.get("status").asText());
        assertFalse(health.get("model_loaded").asBoolean());
    }

    @Test
    void badRequestsGetClearJsonErrorsWithTheRightStatus() {
        // wrong content type, broken multipart, empty upload
        assertError(http.postJson("/api/documents", "{}"), 415, "unsupported_media_type");
        assertError(http.post("/api/documents", "multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhello"
                        .getBytes(StandardCharsets.UTF_8)), 400, "invalid_value");
        assertError(http.post("/api/documents", "multipart/form-data; boundary=xyz",
                "--xyz--\r\n".getBytes(StandardCharsets.UTF_8)), 400, "invalid_value");
        // invalid JSON, wrong types, missing fields
        assertError(http.postJson("/api/ask", "{bad"), 400, "invalid_value");
        assertError(http.postJson("/api/ask", "[1,2]"), 400, "invalid_value");
        assertError(http.postJson("/api/ask", ""), 400, "invalid_value");
        assertError(http.postJson("/api/ask", "{\"question\":\"\"}"), 400, "invalid_value");
        assertError(http.postJson("/api/ask", "{\"question\":5}"), 400, "invalid_value");
        assertError(http.postJson("/api/ask", "{\"question\":\"x\",\"mode\":\"poem\"}"), 400, "invalid_value");
        assertError(http.postJson("/api/ask", "{\"question\":\"x\",\"sources\":0}"), 400, "invalid_value");
        assertError(http.postJson("/api/ask", "{\"question\":\"x\",\"temperature\":\"hot\"}"), 400,
                "invalid_value");
        assertError(http.postJson("/api/ask", "{\"question\":\"x\",\"document_ids\":[\"../etc\"]}"), 400,
                "invalid_value");
        assertError(http.postJson("/api/ask", "{\"question\":\"x\",\"history\":[{\"role\":\"root\"}]}"), 400,
                "invalid_value");
        // huge bodies are refused before they are read
        assertError(http.postJson("/api/ask", "{\"question\":\"" + "长".repeat(3 << 20) + "\"}"), 413,
                "request_too_large");
        // unknown ids and endpoints
        assertError(http.get("/api/documents/0123456789abcdef0123"), 404, "not_found");
        assertError(http.get("/api/documents/..%2F..%2Fetc/original"), 404, "not_found");
        assertError(http.delete("/api/documents/nope"), 404, "not_found");
        assertError(http.get("/api/ingest/999999"), 404, "not_found");
        assertError(http.get("/api/ingest/abc"), 404, "not_found");
        assertError(http.get("/api/nothing"), 404, "not_found");
        assertError(http.send(http.builder("/api/documents").PUT(java.net.http.HttpRequest.BodyPublishers
                .noBody())), 405, "method_not_allowed");
        // no stack traces anywhere
        assertFalse(http.postJson("/api/ask", "{bad").body().contains("at io."));
        assertEquals("ok", http.get("/api/health").json().get("status").asText());
    }

    @Test
    void uploadLimitsAreEnforcedPerFileAndPerRequest() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("big.txt", new byte[64 * 1024 + 1]);
        Http.Response big = http.upload(files);
        assertTrue(big.status() == 413 || !big.json().get("files").get(0).get("accepted").asBoolean(), big.body());

        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            many.put("f" + i + ".txt", ("文件 " + i).getBytes(StandardCharsets.UTF_8));
        }
        assertError(http.upload(many), 400, "invalid_value");

        Map<String, byte[]> odd = new LinkedHashMap<>();
        odd.put("virus.exe", "MZ".getBytes(StandardCharsets.UTF_8));
        odd.put("empty.txt", new byte[0]);
        JsonNode results = http.upload(odd).json().get("files");
        assertFalse(results.get(0).get("accepted").asBoolean());
        assertTrue(results.get(0).get("error").get("message").asText().contains("unsupported file type .exe"));
        assertFalse(results.get(1).get("accepted").asBoolean());
    }

    @Test
    void fileNamesNeverEscapeTheDataFolder() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("../../escape.txt", "越界文件一号。".getBytes(StandardCharsets.UTF_8));
        files.put("..\\\\..\\\\win.txt", "越界文件二号。".getBytes(StandardCharsets.UTF_8));
        files.put("/etc/passwd.txt", "越界文件三号。".getBytes(StandardCharsets.UTF_8));
        JsonNode results = http.upload(files).json().get("files");
        server.pipeline().awaitIdle();
        assertEquals("escape.txt", results.get(0).get("file_name").asText());
        assertEquals("win.txt", results.get(1).get("file_name").asText());
        assertEquals("passwd.txt", results.get(2).get("file_name").asText());
        Path data = dir.resolve("data").toRealPath();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                if (!p.toRealPath().startsWith(data) && !p.startsWith(dir.resolve("restart"))
                        && !p.startsWith(dir.resolve("keyed"))) {
                    throw new AssertionError("a file outside the data folder: " + p);
                }
            }
        }
        for (JsonNode r : results) {
            assertEquals(204, http.delete("/api/documents/" + r.get("document_id").asText()).status());
        }
    }

    @Test
    void deleteRemovesTheDocumentItsChunksAndItsOriginal() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("temp.txt", "临时文档：银杏树的叶子在秋天变黄。".getBytes(StandardCharsets.UTF_8));
        String id = http.upload(files).json().get("files").get(0).get("document_id").asText();
        server.pipeline().awaitIdle();
        assertEquals(200, http.get("/api/documents/" + id).status());
        assertEquals(204, http.delete("/api/documents/" + id).status());
        assertEquals(404, http.get("/api/documents/" + id).status());
        assertEquals(404, http.get("/api/documents/" + id + "/original").status());
        assertTrue(http.get("/api/search?q=%E9%93%B6%E6%9D%8F").json().get("hits").isEmpty()); // 银杏
        try (var originals = Files.list(dir.resolve("data/originals"))) {
            assertTrue(originals.noneMatch(p -> p.getFileName().toString().startsWith(id)), "stored original removed");
        }
        assertEquals(404, http.delete("/api/documents/" + id).status());
    }

    @Test
    void crossSiteAndRebindingRequestsAreRefusedOnLoopback() {
        assertError(http.withHeaders(Map.of("Origin", "http://evil.example")).delete("/api/documents/" + teaId),
                403, "forbidden_origin");
        Http.Response sameOrigin = http.withHeaders(Map.of("Origin", "http://127.0.0.1:" + server.port()))
                .get("/api/documents");
        assertEquals(200, sameOrigin.status());
        assertEquals(200, http.get("/api/documents/" + teaId).status(), "the refused delete did nothing");
        // what changes data: refused from a sandboxed page ("null"), another port or an unparsable origin;
        // accepted from the server's own origin
        for (String origin : new String[] {"null", "http://127.0.0.1:" + (server.port() + 1), "http://[::1"}) {
            assertError(http.withHeaders(Map.of("Origin", origin)).postJson("/api/collections", "{\"name\":\"跨站\"}"),
                    403, "forbidden_origin");
        }
        assertEquals(201, http.withHeaders(Map.of("Origin", "http://127.0.0.1:" + server.port()))
                .postJson("/api/collections", "{\"name\":\"同源\"}").status());
    }

    @Test
    void uiPagesAreServedWithAStrictContentSecurityPolicy() {
        Http.Response page = http.get("/");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("萤火"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertEquals(200, http.get("/app.js").status());
        assertFalse(http.get("/app.js").body().contains("innerHTML"), "the UI never parses text as HTML");
        assertEquals(200, http.get("/style.css").status());
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }

    static void assertError(Http.Response r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        JsonNode error = r.json().get("error");
        assertNotNull(error, r.body());
        assertEquals(code, error.get("code").asText(), r.body());
        assertFalse(error.get("message").asText().isBlank());
    }
}
