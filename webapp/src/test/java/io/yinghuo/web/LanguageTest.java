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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server speaks the user's language on {@code /api} (Accept-Language, or the {@code lang} parameter or
 * {@code yinghuo.lang} cookie the UI sets), keeps {@code /v1} in English, and says which failures a retry can fix.
 */
class LanguageTest {

    static final Map<String, String> ZH = Map.of("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8");
    static final Map<String, String> EN = Map.of("Accept-Language", "en-US,en;q=0.9");

    @TempDir
    static Path dir;
    static WebServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")),
                ModelService.none(2)).start();
        http = new Http("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    static String message(Http.Response r) {
        return r.json().get("error").get("message").asText();
    }

    @Test
    void theSameErrorInChineseAndEnglishWithTheSameCode() {
        Http.Response zh = http.withHeaders(ZH).get("/api/documents/nope");
        Http.Response en = http.withHeaders(EN).get("/api/documents/nope");
        assertEquals(404, zh.status());
        assertEquals("not_found", zh.json().get("error").get("code").asText());
        assertEquals("not_found", en.json().get("error").get("code").asText());
        assertEquals("没有 ID 为 \"nope\" 的文档", message(zh), zh.body());
        assertEquals("no document with id \"nope\"", message(en), en.body());
        assertTrue(message(http.get("/api/documents/nope")).startsWith("no document"), "English by default");
        assertTrue(message(http.withHeaders(Map.of("Accept-Language", "fr-FR"))
                .get("/api/documents/nope")).startsWith("no document"), "English for other languages");
    }

    /**
     * Every refusal a user of the UI or of {@code /api} can meet, in both languages: the Chinese message has
     * Chinese words (not an English text passed through), the English one none, and the status and code agree.
     */
    @Test
    void everyApiRefusalIsInTheRequestsLanguage() {
        String bigBody = "{\"question\":\"" + "长".repeat(70_000) + "\"}";
        List<java.util.function.Function<Http, Http.Response>> requests = List.of(
                h -> h.postJson("/api/ask", "{\"question\":\"  \"}"),
                h -> h.postJson("/api/ask", "{\"question\":\"" + "问".repeat(4001) + "\"}"),
                h -> h.postJson("/api/ask", "{}"),
                h -> h.postJson("/api/ask", "{\"question\":3}"),
                h -> h.postJson("/api/ask", "{\"question\":\"问\",\"mode\":\"dance\"}"),
                h -> h.postJson("/api/ask", "{\"question\":\"问\",\"stream\":\"yes\"}"),
                h -> h.postJson("/api/ask", "{\"question\":\"问\",\"history\":{}}"),
                h -> h.postJson("/api/ask", "{\"question\":\"问\",\"history\":[{\"role\":\"x\"}]}"),
                h -> h.postJson("/api/ask", "{\"question\":\"问\",\"history\":["
                        + "{\"role\":\"user\",\"content\":\"a\"},".repeat(41) + "{}]}"),
                h -> h.postJson("/api/ask", "{\"question\":\"问\",\"document_ids\":\"a\"}"),
                h -> h.postJson("/api/ask", "{\"question\":\"问\",\"document_ids\":[\"a b\"]}"),
                h -> h.postJson("/api/ask", "{\"question\":\"问\",\"collections\":[3]}"),
                h -> h.postJson("/api/ask", "{\"question\":\"问\",\"sources\":99}"),
                h -> h.postJson("/api/ask", "{\"question\":\"问\",\"temperature\":9}"),
                h -> h.postJson("/api/ask", "{\"question\":\"问\",\"max_tokens\":5000,\"context_length\":128}"),
                h -> h.postJson("/api/ask", "{\"question\":"),
                h -> h.postJson("/api/ask", "[1]"),
                h -> h.postJson("/api/ask", ""),
                h -> h.postJson("/api/ask", bigBody),
                h -> h.get("/api/search?q=" + "x".repeat(2001)),
                h -> h.get("/api/search?q=x&k=0"),
                h -> h.get("/api/search?q=x&k=many"),
                h -> h.get("/api/search"),
                h -> h.get("/api/ingest/abc"),
                h -> h.get("/api/ingest/999"),
                h -> h.get("/api/documents/nope/text"),
                h -> h.get("/api/nothing-here"),
                h -> h.send(h.builder("/api/documents/nope").method("PATCH",
                        java.net.http.HttpRequest.BodyPublishers.noBody())),
                h -> h.postJson("/api/documents", "{}"),
                h -> h.post("/api/documents", "multipart/form-data; boundary=xyz", "--xyz--\r\n"
                        .getBytes(StandardCharsets.UTF_8)),
                h -> h.post("/api/documents", "multipart/form-data; boundary=xyz", "--xyz\r\nbroken"
                        .getBytes(StandardCharsets.UTF_8)),
                h -> h.postJson("/api/collections", "{\"name\":\"\"}"),
                h -> h.delete("/api/collections?name=nothing"));
        for (int i = 0; i < requests.size(); i++) {
            Http.Response zh = requests.get(i).apply(http.withHeaders(ZH));
            Http.Response en = requests.get(i).apply(http.withHeaders(EN));
            String where = "request " + i + ": " + zh.body() + " / " + en.body();
            assertTrue(zh.status() >= 400 && zh.status() == en.status(), where);
            assertEquals(zh.json().get("error").get("code"), en.json().get("error").get("code"), where);
            assertTrue(message(zh).codePoints().anyMatch(c -> Character.UnicodeScript.of(c)
                    == Character.UnicodeScript.HAN), "Chinese words in the Chinese message, " + where);
            assertFalse(message(en).codePoints().anyMatch(c -> Character.UnicodeScript.of(c)
                    == Character.UnicodeScript.HAN && "长问".indexOf(c) < 0), "no Chinese in English, " + where);
        }
    }

    @Test
    void theLangParameterAndCookieOverrideTheBrowser() {
        assertTrue(message(http.withHeaders(EN).get("/api/documents/nope?lang=zh")).startsWith("没有"));
        assertTrue(message(http.withHeaders(Map.of("Accept-Language", "en", "Cookie", "yinghuo.lang=zh-CN"))
                .get("/api/documents/nope")).startsWith("没有"));
        assertTrue(message(http.withHeaders(Map.of("Accept-Language", "zh-CN", "Cookie", "yinghuo.lang=en"))
                .get("/api/documents/nope")).startsWith("no document"));
        Http.Response noRoute = http.withHeaders(ZH).get("/api/no-such-route");
        assertEquals(404, noRoute.status());
        assertEquals("找不到这个地址", message(noRoute), noRoute.body());
    }

    @Test
    void anEmptyFileIsReportedInTheRequestsLanguageAndNotRetryable() {
        Http.Response zh = http.withHeaders(ZH).upload(Map.of("empty.txt", new byte[0]));
        Http.Response en = http.withHeaders(EN).upload(Map.of("empty.txt", new byte[0]));
        assertEquals(400, zh.status(), zh.body());
        JsonNode zhFile = zh.json().get("files").get(0);
        assertEquals("文件是空的", zhFile.get("error").get("message").asText(), zh.body());
        assertFalse(zhFile.get("retryable").asBoolean(), zh.body());
        assertEquals("文件未被接受：empty.txt：文件是空的", message(zh), zh.body());
        assertEquals("the file is empty", en.json().get("files").get(0).get("error").get("message").asText());
        assertEquals("the file was not accepted: empty.txt: the file is empty", message(en), en.body());

        // Only whitespace: accepted, then the pipeline finds it empty.
        Http.Response blank = http.withHeaders(ZH).upload(Map.of("blank.txt", "  \n \n".getBytes(
                StandardCharsets.UTF_8)));
        assertEquals(202, blank.status(), blank.body());
        long job = blank.json().get("files").get(0).get("job_id").asLong();
        JsonNode zhJob = finished(job, ZH);
        assertEquals("failed", zhJob.get("stage").asText(), zhJob.toString());
        assertEquals("parse_empty", zhJob.get("reason").asText(), zhJob.toString());
        assertEquals("文件是空的", zhJob.get("message").asText(), zhJob.toString());
        assertFalse(zhJob.get("retryable").asBoolean(), "a parse error fails the same way again");
        JsonNode enJob = finished(job, EN);
        assertTrue(enJob.get("message").asText().contains("whitespace"), enJob.toString());
        assertFalse(enJob.get("message").asText().matches(".*\\p{IsHan}.*"), enJob.toString());
    }

    @Test
    void aDuplicateIsReportedInTheRequestsLanguage() {
        byte[] content = "萤火虫在夏夜发光。Fireflies glow on summer nights.".getBytes(StandardCharsets.UTF_8);
        long first = http.upload(Map.of("firefly.txt", content)).json().get("files").get(0).get("job_id").asLong();
        assertEquals("added", finished(first, EN).get("outcome").asText());

        long again = http.upload(Map.of("firefly.txt", content)).json().get("files").get(0).get("job_id").asLong();
        JsonNode zh = finished(again, ZH);
        assertEquals("unchanged", zh.get("outcome").asText(), zh.toString());
        assertEquals("unchanged", zh.get("reason").asText());
        assertEquals("内容未变，已导入过相同的内容", zh.get("message").asText());
        assertEquals("already ingested with the same content", finished(again, EN).get("message").asText());
        assertFalse(zh.get("retryable").asBoolean());

        long copy = http.upload(Map.of("copy.txt", content)).json().get("files").get(0).get("job_id").asLong();
        JsonNode zhCopy = finished(copy, ZH);
        assertEquals("duplicate", zhCopy.get("outcome").asText(), zhCopy.toString());
        assertTrue(zhCopy.get("message").asText().startsWith("与 firefly.txt（文档 "), zhCopy.toString());
        assertTrue(finished(copy, EN).get("message").asText().startsWith("same content as firefly.txt"));

        // The job list speaks the same language.
        boolean found = false;
        for (JsonNode j : http.withHeaders(ZH).get("/api/ingest").json().get("jobs")) {
            if (j.get("job_id").asLong() == again) {
                assertEquals("内容未变，已导入过相同的内容", j.get("message").asText());
                found = true;
            }
        }
        assertTrue(found);
    }

    @Test
    void theContextBudgetErrorInBothLanguages() {
        String body = "{\"question\":\"萤火虫\",\"max_tokens\":4090}";
        Http.Response zh = http.withHeaders(ZH).postJson("/api/ask?stream=false", body);
        Http.Response en = http.withHeaders(EN).postJson("/api/ask?stream=false", body);
        assertEquals(400, zh.status(), zh.body());
        assertEquals("invalid_value", zh.json().get("error").get("code").asText());
        assertEquals("max_tokens", zh.json().get("error").get("param").asText());
        // Without a model the context is 4096 tokens, of which the pipeline keeps 16 as a margin.
        assertEquals("设置的最大生成长度（4090）超出上下文，请减小到 4080 以下", message(zh));
        assertTrue(message(en).startsWith("The maximum answer length (4090) does not fit in the context"), en.body());
        assertTrue(message(en).endsWith("use at most 4079"), en.body());
        assertEquals(200, http.postJson("/api/ask?stream=false", "{\"question\":\"萤火虫\",\"max_tokens\":1000}")
                .status());
    }

    @Test
    void v1AlwaysAnswersInEnglish() {
        Http.Response noModel = http.withHeaders(ZH).postJson("/v1/chat/completions",
                "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}]}");
        assertEquals(503, noModel.status(), noModel.body());
        assertEquals("model_not_loaded", noModel.json().get("error").get("code").asText());
        assertTrue(message(noModel).startsWith("no model is loaded"), noModel.body());
        Http.Response onApi = http.withHeaders(ZH).postJson("/api/ask?stream=false",
                "{\"question\":\"你好\",\"mode\":\"chat\"}");
        assertEquals(503, onApi.status(), onApi.body());
        assertTrue(message(onApi).startsWith("没有加载模型"), onApi.body());
        Http.Response missing = http.withHeaders(Map.of("Accept-Language", "zh-CN", "Cookie", "yinghuo.lang=zh"))
                .get("/v1/no-such-route?lang=zh");
        assertEquals(404, missing.status(), missing.body());
        assertFalse(message(missing).matches(".*\\p{IsHan}.*"), missing.body());
    }

    @Test
    void retryableFlags() {
        assertTrue(ApiException.unavailable("queue_full", "busy").retryable());
        assertFalse(ApiException.badRequest("x", "wrong").retryable());
        assertFalse(ApiException.tooLarge("big").retryable());
        assertTrue(ApiException.badRequest("files", "unreadable").retryable(true).retryable());
        assertEquals(Messages.Lang.ZH, Messages.fromAcceptLanguage("zh-TW"));
        assertEquals(Messages.Lang.EN, Messages.fromAcceptLanguage("en;q=0.5,zh;q=0.4"));
        assertEquals(Messages.Lang.ZH, Messages.fromAcceptLanguage("en;q=0.5,zh;q=0.9"));
        assertEquals(Messages.Lang.EN, Messages.fromAcceptLanguage("not a header ;;"));
    }

    static JsonNode finished(long job, Map<String, String> headers) {
        long until = System.nanoTime() + 30_000_000_000L;
        while (true) {
            JsonNode j = http.withHeaders(headers).get("/api/ingest/" + job).json();
            if (j.get("final").asBoolean() || System.nanoTime() > until) {
                return j;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
