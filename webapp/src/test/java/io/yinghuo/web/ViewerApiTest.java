package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the document viewer reads from the server: pdf.js from our jar (only its minified build, worker, CMaps and
 * licence, with module content types and cache validation), text originals transcoded to UTF-8, headings with the
 * parsed text, and the OCR word-box endpoint for a document without OCR (404; WordBoxApiTest has scans).
 */
class ViewerApiTest {

    static final String GBK_TEXT = "第一章 长江\n长江是中国最长的河流，全长约六千三百公里。\n";
    static final String BIG5_TEXT = "臺灣的河流\n濁水溪是臺灣最長的河流，發源於合歡山。\n";

    @TempDir
    static Path dir;
    static WebServer server;
    static Http http;
    static Map<String, String> ids = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")),
                ModelService.none(4)).start();
        http = new Http("http://127.0.0.1:" + server.port());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("长江-gbk.txt", GBK_TEXT.getBytes(Charset.forName("GBK")));
        files.put("河流-big5.txt", BIG5_TEXT.getBytes(Charset.forName("Big5")));
        files.put("茶叶.md", DocumentApiTest.TEA.getBytes(StandardCharsets.UTF_8));
        files.put("章节.md", "# 第一章 总则\n\n总则的内容。\n\n## 第一节 定义\n\n定义的内容。\n\n# 第二章 附则\n\n附则的内容。\n"
                .getBytes(StandardCharsets.UTF_8));
        Http.Response r = http.upload(files);
        assertEquals(202, r.status(), r.body());
        for (JsonNode file : r.json().get("files")) {
            ids.put(file.get("file_name").asText(), file.get("document_id").asText());
        }
        server.pipeline().awaitIdle();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void pdfJsIsServedFromTheJarAsModulesWithCacheValidation() {
        Http.Response library = http.get("/vendor/pdfjs/pdf.min.mjs");
        assertEquals(200, library.status());
        assertEquals("text/javascript;charset=utf-8", library.headers().firstValue("Content-Type").orElse(""));
        assertTrue(library.headers().firstValue("Cache-Control").orElse("").contains("max-age"));
        String etag = library.headers().firstValue("ETag").orElse("");
        assertTrue(etag.startsWith("\"pdfjs-4."), etag);
        assertEquals(304, http.withHeaders(Map.of("If-None-Match", etag)).get("/vendor/pdfjs/pdf.min.mjs").status());

        Http.Response worker = http.get("/vendor/pdfjs/pdf.worker.min.mjs");
        assertEquals(200, worker.status());
        assertEquals("text/javascript;charset=utf-8", worker.headers().firstValue("Content-Type").orElse(""));
        Http.Response cmap = http.get("/vendor/pdfjs/cmaps/UniGB-UCS2-H.bcmap");
        assertEquals(200, cmap.status());
        assertEquals("application/octet-stream", cmap.headers().firstValue("Content-Type").orElse(""));
        assertEquals(200, http.get("/vendor/pdfjs/LICENSE").status());

        // Only what the viewer uses: not the unminified build, the legacy build, the viewer or source maps.
        for (String other : new String[] {"pdf.mjs", "build/pdf.min.mjs", "legacy/build/pdf.min.mjs",
                "web/pdf_viewer.mjs", "pdf.worker.mjs.map", "cmaps/LICENSE", "cmaps/../LICENSE", "package.json"}) {
            assertEquals(404, http.get("/vendor/pdfjs/" + other).status(), other);
        }
    }

    @Test
    void theViewerScriptIsServedAndNeverParsesHtml() {
        Http.Response viewer = http.get("/viewer.js");
        assertEquals(200, viewer.status());
        assertEquals("text/javascript;charset=utf-8", viewer.headers().firstValue("Content-Type").orElse(""));
        assertFalse(viewer.body().contains("innerHTML") || viewer.body().contains("insertAdjacentHTML"),
                "the viewer never parses text as HTML");
    }

    @Test
    void textOriginalsArePreviewedAsUtf8AndDownloadedAsUploaded() {
        Http.Response gbk = http.get("/api/documents/" + ids.get("长江-gbk.txt") + "/original");
        assertEquals(200, gbk.status());
        assertEquals("text/plain;charset=utf-8", gbk.headers().firstValue("Content-Type").orElse(""));
        assertEquals(GBK_TEXT, gbk.body());
        assertEquals(String.valueOf(GBK_TEXT.getBytes(StandardCharsets.UTF_8).length),
                gbk.headers().firstValue("Content-Length").orElse(""));
        assertTrue(gbk.headers().firstValue("Content-Security-Policy").orElse("").contains("sandbox"));

        assertEquals(BIG5_TEXT, http.get("/api/documents/" + ids.get("河流-big5.txt") + "/original").body());

        Http.Response download = http.get("/api/documents/" + ids.get("长江-gbk.txt") + "/original?download=1");
        assertEquals(String.valueOf(GBK_TEXT.getBytes(Charset.forName("GBK")).length),
                download.headers().firstValue("Content-Length").orElse(""), "the download is the original bytes");
    }

    @Test
    void theTextComesWithItsHeadings() {
        JsonNode range = http.get("/api/documents/" + ids.get("章节.md") + "/text").json();
        String text = range.get("text").asText();
        JsonNode headings = range.get("headings");
        assertEquals(3, headings.size(), headings.toString());
        String[] titles = {"第一章 总则", "第一节 定义", "第二章 附则"};
        int[] levels = {1, 2, 1};
        for (int i = 0; i < 3; i++) {
            JsonNode h = headings.get(i);
            assertEquals(titles[i], text.substring(h.get("start").asInt(), h.get("end").asInt()));
            assertEquals(levels[i], h.get("level").asInt());
        }
        // Only the headings inside the range asked for.
        int second = headings.get(1).get("start").asInt();
        JsonNode part = http.get("/api/documents/" + ids.get("章节.md") + "/text?start=" + second + "&end="
                + (second + 3)).json().get("headings");
        assertEquals(1, part.size());
        assertEquals(2, part.get(0).get("level").asInt());
        // A heading that ends where the range starts, or starts where it ends, is outside it; one character more
        // on each side takes both in.
        int firstEnd = headings.get(0).get("end").asInt();
        assertEquals(0, headingsIn(ids.get("章节.md"), firstEnd, second).size());
        assertEquals(2, headingsIn(ids.get("章节.md"), firstEnd - 1, second + 1).size());

        JsonNode plain = http.get("/api/documents/" + ids.get("长江-gbk.txt") + "/text").json();
        assertEquals(0, plain.get("headings").size(), "plain text has no headings");
        assertEquals("text", plain.get("format").asText());
        assertTrue(plain.get("text").asText().contains("长江是中国最长的河流"), "decoded as ingestion decoded it");
    }

    private static JsonNode headingsIn(String id, int start, int end) {
        return http.get("/api/documents/" + id + "/text?start=" + start + "&end=" + end).json().get("headings");
    }

    @Test
    void headingsAreLeftOutWhenTheOriginalNoLongerReadsAsIndexed() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("改过.md", "# 标题一\n\n内容。\n".getBytes(StandardCharsets.UTF_8));
        files.put("丢了.md", "# 标题二\n\n内容。\n".getBytes(StandardCharsets.UTF_8));
        JsonNode accepted = http.upload(files).json().get("files");
        String changed = accepted.get(0).get("document_id").asText();
        String lost = accepted.get(1).get("document_id").asText();
        server.pipeline().awaitIdle();
        // the stored originals altered behind the index's back (a restored backup, a hand edit): the offsets of
        // headings parsed from them would point at the wrong text
        java.nio.file.Path originals = dir.resolve("data/originals");
        try (var stored = java.nio.file.Files.list(originals)) {
            for (java.nio.file.Path p : stored.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(changed)) {
                    java.nio.file.Files.writeString(p, "# 另一个标题\n\n长度不同的内容。\n");
                } else if (name.startsWith(lost)) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
        for (String id : new String[] {changed, lost}) {
            JsonNode range = http.get("/api/documents/" + id + "/text").json();
            assertTrue(range.get("text").asText().contains("内容。"), "the indexed text is still shown: " + range);
            assertEquals(0, range.get("headings").size(), range.toString());
        }
    }

    @Test
    void aDocumentWithoutOcrHasNoWordBoxes() {
        String id = ids.get("茶叶.md");
        assertEquals("[]", http.get("/api/documents/" + id + "/text").json().get("ocr_pages").toString());
        Http.Response none = http.get("/api/documents/" + id + "/pages/1/boxes");
        assertEquals(404, none.status());
        assertEquals("not_found", none.json().get("error").get("code").asText(), none.body());
        assertEquals(404, http.get("/api/documents/" + id + "/pages/0/boxes").status());
        assertEquals(404, http.get("/api/documents/" + id + "/pages/x/boxes").status());
        assertEquals(404, http.get("/api/documents/nosuch/pages/1/boxes").status());
    }
}
