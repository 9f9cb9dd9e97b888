package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/ingest/events} as the browser's EventSource sees it: the stream opens at once (its headers before
 * any event, with what keeps proxies and caches from holding it back), and an upload's jobs arrive as
 * {@code progress} events in the page's language, through to their final stage.
 */
class IngestEventsApiTest {

    @TempDir
    Path dir;

    @Test
    void theStreamOpensAtOnceAndCarriesEachUploadToItsEndInThePagesLanguage() throws Exception {
        try (WebServer server = WebServer.create(ServerOptions.defaults().withPort(0),
                DataFolder.at(dir.resolve("data")), ModelService.none(8)).start()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/api/ingest/events"))
                    .header("Accept", "text/event-stream").header("Accept-Language", "zh-CN,zh;q=0.9")
                    .timeout(Duration.ofSeconds(20)).build();
            // Returns once the headers arrive: before any event, since nothing has been uploaded yet.
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream;charset=utf-8",
                    response.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase());
            assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElse(""));
            assertEquals("no", response.headers().firstValue("X-Accel-Buffering").orElse(""),
                    "reverse proxies must not buffer the stream");

            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("长江.txt", "长江是中国第一长河，全长约6300公里。".getBytes(StandardCharsets.UTF_8));
            files.put("坏的.pdf", "%PDF-1.7 这不是PDF".getBytes(StandardCharsets.UTF_8));
            JsonNode accepted = new Http("http://127.0.0.1:" + server.port()).upload(files).json().get("files");
            String riverId = accepted.get(0).get("document_id").asText();
            String brokenId = accepted.get(1).get("document_id").asText();

            Map<String, JsonNode> last = new HashMap<>();
            try (Stream<String> lines = response.body()) {
                String event = "";
                for (Iterator<String> it = lines.iterator(); it.hasNext() && !finals(last, riverId, brokenId); ) {
                    String line = it.next();
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ") && event.equals("progress")) {
                        JsonNode progress = Json.MAPPER.readTree(line.substring(6));
                        last.put(progress.get("document_id").asText(), progress);
                    }
                }
            }
            assertEquals("done", last.get(riverId).get("stage").asText(), last.toString());
            JsonNode broken = last.get(brokenId);
            assertEquals("failed", broken.get("stage").asText(), broken.toString());
            assertEquals("文件已损坏，或与扩展名不符", broken.get("message").asText(), "in the page's language");
        }
    }

    private static boolean finals(Map<String, JsonNode> last, String... ids) {
        for (String id : ids) {
            JsonNode progress = last.get(id);
            if (progress == null || !progress.get("final").asBoolean()) {
                return false;
            }
        }
        return true;
    }
}
