package io.yinghuo.web;

import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys, exposure rules, restarts and concurrent load. */
class ServerSafetyTest {

    @TempDir
    Path dir;

    @Test
    void anExposedHostNeedsAnApiKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.defaults().withHost("0.0.0.0"));
        assertTrue(e.getMessage().contains("API key"), e.getMessage());
        assertTrue(ServerOptions.isLoopback("127.0.0.1"));
        assertTrue(ServerOptions.isLoopback("localhost"));
        assertTrue(ServerOptions.isLoopback("::1"));
        assertTrue(!ServerOptions.isLoopback("0.0.0.0") && !ServerOptions.isLoopback("example.com"));
        ServerOptions.defaults().withApiKey("a-long-key").withHost("0.0.0.0"); // fine with a key
    }

    @Test
    void withAKeyEveryPageAndApiNeedsItAndTheLoginSetsACookie() throws Exception {
        String key = "s3cret-key-42";
        try (WebServer server = WebServer.create(ServerOptions.defaults().withPort(0).withApiKey(key),
                DataFolder.at(dir.resolve("keyed")), ModelService.none(4)).start()) {
            Http anonymous = new Http("http://127.0.0.1:" + server.port());
            DocumentApiTest.assertError(anonymous.get("/api/documents"), 401, "invalid_api_key");
            DocumentApiTest.assertError(anonymous.postJson("/api/ask", "{\"question\":\"x\"}"), 401,
                    "invalid_api_key");
            Http.Response page = anonymous.get("/");
            assertEquals(401, page.status());
            assertTrue(page.body().contains("action=\"/login\""), "the page request gets the login form");
            assertEquals(200, anonymous.get("/style.css").status());
            assertEquals(200, new Http("http://127.0.0.1:" + server.port(), Map.of("X-API-Key", key))
                    .get("/api/documents").status());
            assertEquals(200, new Http("http://127.0.0.1:" + server.port(), Map.of("Authorization", "Bearer " + key))
                    .get("/").status());

            Http.Response wrong = anonymous.post("/login", "application/x-www-form-urlencoded",
                    "key=nope".getBytes(StandardCharsets.UTF_8));
            assertEquals(302, wrong.status());
            assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
            Http.Response login = anonymous.post("/login", "application/x-www-form-urlencoded",
                    ("key=" + key).getBytes(StandardCharsets.UTF_8));
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            assertTrue(!cookie.contains(key), "the cookie does not carry the key itself");
            Http session = new Http("http://127.0.0.1:" + server.port(), Map.of("Cookie", cookie.split(";")[0]));
            assertEquals(200, session.get("/api/documents").status());
            assertEquals(200, session.get("/").status());
            // a cookie the login did not set opens nothing: empty, the key itself, another key's token
            for (String forged : new String[] {"", key, cookie.split(";")[0].split("=", 2)[1] + "0"}) {
                assertEquals(401, new Http("http://127.0.0.1:" + server.port(),
                        Map.of("Cookie", AccessGuard.COOKIE + "=" + forged)).get("/api/documents").status(), forged);
            }
        }
    }

    @Test
    void aRestartShowsEveryAcknowledgedDocument() throws Exception {
        DataFolder data = DataFolder.at(dir.resolve("restart"));
        List<String> ids = new ArrayList<>();
        try (WebServer server = WebServer.create(ServerOptions.defaults().withPort(0), data, ModelService.none(4))
                .start()) {
            Http http = new Http("http://127.0.0.1:" + server.port());
            for (int i = 0; i < 3; i++) {
                Map<String, byte[]> files = new LinkedHashMap<>();
                files.put("doc" + i + ".txt", ("第" + i + "份文档，记录编号 " + (1000 + i) + "。")
                        .getBytes(StandardCharsets.UTF_8));
                ids.add(http.upload(files).json().get("files").get(0).get("document_id").asText());
            }
            server.pipeline().awaitIdle();
        }
        try (WebServer server = WebServer.create(ServerOptions.defaults().withPort(0), data, ModelService.none(4))
                .start()) {
            Http http = new Http("http://127.0.0.1:" + server.port());
            var documents = http.get("/api/documents").json().get("documents");
            assertEquals(3, documents.size());
            for (String id : ids) {
                assertEquals(200, http.get("/api/documents/" + id + "/original").status());
            }
        }
    }

    @Test
    void concurrentUploadsAndSearchesAllSucceed() throws Exception {
        try (WebServer server = WebServer.create(ServerOptions.defaults().withPort(0),
                DataFolder.at(dir.resolve("load")), ModelService.none(4)).start()) {
            Http http = new Http("http://127.0.0.1:" + server.port());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Http.Response>> results = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    int n = i;
                    results.add(pool.submit(() -> {
                        Map<String, byte[]> files = new LinkedHashMap<>();
                        files.put("c" + n + ".txt", ("并发上传的第" + n + "个文件，关键词 星辰" + n + "。")
                                .getBytes(StandardCharsets.UTF_8));
                        return http.upload(files);
                    }));
                    results.add(pool.submit(() -> http.get("/api/search?q=%E6%98%9F%E8%BE%B0&k=5")));
                    results.add(pool.submit(() -> http.send(http.builder("/api/ask")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"星辰\",\"stream\":false}")))));
                }
                for (Future<Http.Response> f : results) {
                    int status = f.get(120, TimeUnit.SECONDS).status();
                    assertTrue(status == 200 || status == 202, "status " + status);
                }
            } finally {
                pool.shutdownNow();
            }
            server.pipeline().awaitIdle();
            assertEquals(16, http.get("/api/documents").json().get("count").asInt());
        }
    }
}
