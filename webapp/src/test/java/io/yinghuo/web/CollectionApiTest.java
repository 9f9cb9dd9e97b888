package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/collections} and collection-scoped questions, over HTTP, without a model. */
class CollectionApiTest {

    @TempDir
    Path dir;
    WebServer server;
    Http http;

    @BeforeEach
    void start() throws Exception {
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")),
                ModelService.none(8)).start();
        http = new Http("http://127.0.0.1:" + server.port()).withHeaders(Map.of("Accept-Language", "zh-CN"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String upload(String collection, String name, String text) throws InterruptedException {
        Http.Response r = http.upload(collection, Map.of(name, text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(202, r.status(), r.body());
        server.pipeline().awaitIdle();
        return r.json().get("files").get(0).get("document_id").asText();
    }

    private Map<String, Integer> collections() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (JsonNode c : http.get("/api/collections").json().get("collections")) {
            counts.put(c.get("name").asText(), c.get("documents").asInt());
        }
        return counts;
    }

    private List<String> askedDocuments(String collectionsJson) {
        Http.Response r = http.postJson("/api/ask", "{\"question\":\"运河在哪里\",\"mode\":\"search\",\"stream\":false,"
                + "\"collections\":" + collectionsJson + "}");
        assertEquals(200, r.status(), r.body());
        List<String> ids = new ArrayList<>();
        r.json().get("sources").forEach(s -> ids.add(s.get("document_id").asText()));
        return ids.stream().distinct().toList();
    }

    private static void assertError(Http.Response r, int status, String code, String zhText) {
        assertEquals(status, r.status(), r.body());
        JsonNode error = r.json().get("error");
        assertEquals(code, error.get("code").asText(), r.body());
        assertTrue(error.get("message").asText().contains(zhText), r.body());
    }

    @Test
    void createListRenameAndDeleteWithQuestionsScopedToACollection() throws Exception {
        assertEquals(Map.of("", 0), collections());
        Http.Response created = http.postJson("/api/collections", "{\"name\":\" 水利 \"}");
        assertEquals(201, created.status(), created.body());
        assertEquals("水利", created.json().get("name").asText());
        assertEquals(0, created.json().get("documents").asInt());
        assertFalse(created.json().get("default").asBoolean());

        String canal = upload("水利", "运河.txt", "京杭大运河北起北京，南到杭州，是世界上最长的运河。");
        String other = upload("", "别处.txt", "巴拿马运河连接大西洋和太平洋，在巴拿马。");
        assertEquals(Map.of("", 1, "水利", 1), collections());

        assertEquals(List.of(canal), askedDocuments("[\"水利\"]"), "a question scoped to the collection");
        assertEquals(List.of(other), askedDocuments("[\"\"]"), "\"\" is the default collection");
        assertEquals(2, askedDocuments("[]").size(), "no scope: every collection");

        Http.Response renamed = http.postJson("/api/collections/rename", "{\"from\":\"水利\",\"to\":\"水利工程\"}");
        assertEquals(200, renamed.status(), renamed.body());
        assertEquals(1, renamed.json().get("documents").asInt());
        assertEquals(canal, http.get("/api/documents/" + canal).json().get("id").asText(), "the id stays");
        assertEquals("水利工程", http.get("/api/documents/" + canal).json().get("collection").asText());
        assertEquals(List.of(canal), askedDocuments("[\"水利工程\"]"));
        assertEquals(List.of(), askedDocuments("[\"水利\"]"));

        Http.Response deleted = http.delete("/api/collections?name="
                + URLEncoder.encode("水利工程", StandardCharsets.UTF_8));
        assertEquals(200, deleted.status(), deleted.body());
        assertEquals(1, deleted.json().get("deleted_documents").asInt());
        assertEquals(404, http.get("/api/documents/" + canal).status());
        assertEquals(Map.of("", 1), collections());
    }

    @Test
    void refusalsSayWhatIsWrongInTheUsersLanguage() throws Exception {
        http.postJson("/api/collections", "{\"name\":\"甲\"}");
        http.postJson("/api/collections", "{\"name\":\"乙\"}");
        assertError(http.postJson("/api/collections", "{\"name\":\"甲\"}"), 409, "conflict", "已经有名为“甲”的知识库");
        assertError(http.postJson("/api/collections", "{\"name\":\"  \"}"), 400, "invalid_value", "不能为空");
        assertError(http.postJson("/api/collections", "{\"name\":\"" + "长".repeat(101) + "\"}"), 400,
                "invalid_value", "100");
        assertError(http.postJson("/api/collections", "{\"name\":\"a\\u0001b\"}"), 400, "invalid_value",
                "控制字符");
        assertError(http.postJson("/api/collections", "{}"), 400, "invalid_value", "缺少 name");
        assertError(http.postJson("/api/collections", "{\"name\":3}"), 400, "invalid_value", "name 必须是文字");
        assertError(http.postJson("/api/collections/rename", "{\"from\":\"甲\",\"to\":\"乙\"}"), 409, "conflict",
                "“乙”");
        assertError(http.postJson("/api/collections/rename", "{\"from\":\"丙\",\"to\":\"丁\"}"), 404, "not_found",
                "没有名为“丙”的知识库");
        assertError(http.postJson("/api/collections/rename", "{\"from\":\"\",\"to\":\"丁\"}"), 400, "invalid_value",
                "默认知识库");
        assertError(http.delete("/api/collections?name="), 400, "invalid_value", "默认知识库");
        assertError(http.delete("/api/collections"), 400, "invalid_value", "缺少 name");
        assertError(http.delete("/api/collections?name=%E4%B8%99"), 404, "not_found", "“丙”");
        assertError(http.upload("x".repeat(101), Map.of("a.txt", "内容".getBytes(StandardCharsets.UTF_8))), 400,
                "invalid_value", "100");
        assertError(http.postJson("/api/ask", "{\"question\":\"问\",\"collections\":\"甲\"}"), 400, "invalid_value",
                "collections");
        assertEquals(Map.of("", 0, "甲", 0, "乙", 0), collections(), "nothing changed by a refusal");
        Http.Response english = http.withHeaders(Map.of("Accept-Language", "en"))
                .postJson("/api/collections", "{\"name\":\"甲\"}");
        assertTrue(english.json().get("error").get("message").asText().contains("already exists"), english.body());
    }
}
