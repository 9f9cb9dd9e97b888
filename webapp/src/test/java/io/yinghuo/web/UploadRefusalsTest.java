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
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads none of whose files is accepted are errors, with every file's reason; odd names are cleaned. */
class UploadRefusalsTest {

    @TempDir
    static Path dir;
    static WebServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.create(ServerOptions.defaults().withPort(0).withMaxFileBytes(1024).withMaxFilesPerUpload(4),
                DataFolder.at(dir.resolve("data")), ModelService.none(2)).start();
        http = new Http("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode assertRefused(Http.Response r, int status, String code, int files) {
        DocumentApiTest.assertError(r, status, code);
        JsonNode results = r.json().get("files");
        assertEquals(files, results.size(), r.body());
        for (JsonNode file : results) {
            assertFalse(file.get("accepted").asBoolean(), r.body());
            assertFalse(file.get("error").get("message").asText().isBlank(), r.body());
        }
        return results;
    }

    @Test
    void allUnsupportedTypesIs415WithEachReason() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("virus.exe", text("MZ"));
        files.put("movie.mp4", text("ftyp"));
        Http.Response r = http.upload(files);
        JsonNode results = assertRefused(r, 415, "unsupported_media_type", 2);
        assertTrue(results.get(0).get("error").get("message").asText().contains("unsupported file type .exe"));
        String message = r.json().get("error").get("message").asText();
        assertTrue(message.contains("virus.exe") && message.contains("movie.mp4"), message);
    }

    @Test
    void allTooLargeIs413() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("big1.txt", new byte[1025]);
        files.put("big2.txt", new byte[1500]);
        Http.Response r = http.upload(files);
        assertEquals(413, r.status(), r.body()); // per file, or by the multipart limits for the whole request
        DocumentApiTest.assertError(r, 413, "request_too_large");
    }

    @Test
    void mixedReasonsWithNothingAcceptedIs400AndMixedAcceptanceStays202() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("virus.exe", text("MZ"));
        files.put("empty.txt", new byte[0]);
        assertRefused(http.upload(files), 400, "no_file_accepted", 2);

        Map<String, byte[]> mixed = new LinkedHashMap<>();
        mixed.put("virus.exe", text("MZ"));
        mixed.put("good.txt", text("一份正常的文档。"));
        Http.Response r = http.upload(mixed);
        assertEquals(202, r.status(), r.body());
        assertFalse(r.json().has("error"));
        assertFalse(r.json().get("files").get(0).get("accepted").asBoolean());
        assertTrue(r.json().get("files").get(1).get("accepted").asBoolean());
    }

    @Test
    void aNameWithNothingBeforeTheExtensionSaysSo() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".txt", text("内容"));
        Http.Response r = http.upload(files);
        JsonNode results = assertRefused(r, 400, "no_file_accepted", 1);
        String message = results.get(0).get("error").get("message").asText();
        assertTrue(message.contains("no name before the extension"), message);
        assertFalse(message.contains("unsupported"), message);
    }

    @Test
    void controlCharactersInANameAreRemovedAndTheFileAccepted() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("con\u0001trol\u001b\u007f\tname.txt", text("带控制字符的文件名。"));
        files.put("bidi\u202Etxt.exe.md", text("双向字符。"));
        Http.Response r = http.upload(files);
        assertEquals(202, r.status(), r.body());
        JsonNode results = r.json().get("files");
        assertTrue(results.get(0).get("accepted").asBoolean(), r.body());
        String name = results.get(0).get("file_name").asText();
        assertTrue(name.endsWith(".txt") && name.startsWith("con") && name.contains("name"), name);
        assertTrue(name.chars().noneMatch(c -> c < 0x20 || c == 0x7f), name);
        assertEquals("biditxt.exe.md", results.get(1).get("file_name").asText());
        server.pipeline().awaitIdle();
    }
}
