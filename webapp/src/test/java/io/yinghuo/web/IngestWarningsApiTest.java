package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A file that is added although part of it could not be read says so in its job's result, in the user's language. */
class IngestWarningsApiTest {

    @TempDir
    static Path dir;
    static WebServer server;
    static Http http;
    static long jobId;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")),
                ModelService.none(8)).start();
        http = new Http("http://127.0.0.1:" + server.port());
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes("故宫位于北京市中心，是明清两代的皇家宫殿。".getBytes(StandardCharsets.UTF_8));
        text.write(0xFF); // not UTF-8
        text.writeBytes("长城横贯中国北方。".getBytes(StandardCharsets.UTF_8));
        Http.Response r = http.upload(Map.of("笔记.txt", text.toByteArray()));
        assertEquals(202, r.status(), r.body());
        jobId = r.json().get("files").get(0).get("job_id").asLong();
        server.pipeline().awaitIdle();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void theJobResultListsTheWarningInChinese() {
        JsonNode job = http.get("/api/ingest/" + jobId + "?lang=zh").json();
        assertEquals("added", job.get("outcome").asText());
        JsonNode warnings = job.get("warnings");
        assertEquals(1, warnings.size(), job.toString());
        assertEquals("invalid_bytes", warnings.get(0).get("code").asText());
        String message = warnings.get(0).get("message").asText();
        assertTrue(message.contains("有 1 处字节不是有效的 UTF-8 编码"), message);
    }

    @Test
    void andInEnglishInTheParsersOwnWords() {
        JsonNode job = http.get("/api/ingest/" + jobId + "?lang=en").json();
        String message = job.get("warnings").get(0).get("message").asText();
        assertEquals("1 byte sequence(s) were not valid UTF-8 and were replaced by \uFFFD", message);
        assertFalse(message.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN));
    }
}
