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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors Jetty raises before any route (bad URIs, 414, 431, unparsable requests) are JSON, sent over raw sockets. */
class JettyErrorsTest {

    @TempDir
    static Path dir;
    static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")),
                ModelService.none(2)).start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    record Raw(int status, String head, String body) {
        JsonNode error() {
            try {
                JsonNode error = Json.MAPPER.readTree(body).get("error");
                assertNotNull(error, body);
                return error;
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + head + "\n" + body, e);
            }
        }
    }

    static Raw send(String request) throws IOException {
        return send(server.port(), request);
    }

    /** Sends {@code request} as it is to the server on {@code port} and reads the whole response. */
    static Raw send(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    all.write(buffer, 0, n);
                }
            } catch (java.net.SocketException e) {
                // the server may reset after answering a request it refuses
            }
            String response = all.toString(StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            assertTrue(split > 0, "no response head: " + response);
            String head = response.substring(0, split);
            int status = Integer.parseInt(head.split(" ")[1]);
            String body = response.substring(split + 4);
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Raw(status, head, body);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }

    static Raw get(String target, String extraHeaders) throws IOException {
        return send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n" + extraHeaders
                + "Connection: close\r\n\r\n");
    }

    static void assertJsonError(Raw r, int status, String code) {
        assertEquals(status, r.status(), r.head() + "\n" + r.body());
        assertTrue(r.head().toLowerCase(Locale.ROOT).contains("content-type: application/json"), r.head());
        JsonNode error = r.error();
        assertEquals(code, error.get("code").asText(), r.body());
        assertFalse(error.get("message").asText().isBlank());
        assertTrue(error.has("type") && error.has("param"), r.body());
        assertFalse(r.body().contains("<html") || r.body().contains("at org."), r.body());
    }

    @Test
    void encodedSlashesAndDotSegmentsInAPathAreJsonErrors() throws IOException {
        for (String target : new String[] {"/api/documents/a%2Fb/original", "/v1/models/a%2Fb",
                "/api/../etc/passwd", "/v1/../../etc/passwd", "/api/documents/%zz", "/v1/models/%zz"}) {
            Raw r = get(target, "");
            assertTrue(r.status() == 400 || r.status() == 404, target + " -> " + r.status() + " " + r.body());
            assertJsonError(r, r.status(), r.error().get("code").asText());
        }
    }

    @Test
    void aTooLongUriIs414Json() throws IOException {
        assertJsonError(get("/api/search?q=" + "a".repeat(64 * 1024), ""), 414, "uri_too_long");
        assertJsonError(get("/v1/models/" + "a".repeat(64 * 1024), ""), 414, "uri_too_long");
    }

    @Test
    void tooLargeHeadersAre431Json() throws IOException {
        assertJsonError(get("/api/health", "X-Big: " + "b".repeat(64 * 1024) + "\r\n"), 431, "headers_too_large");
    }

    @Test
    void anUnparsableRequestIs400Json() throws IOException {
        assertJsonError(send("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nBroken header line\r\n\r\n"), 400,
                "bad_request");
        assertJsonError(send("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.2\r\n"
                + "Content-Length: x\r\n\r\n"), 400, "bad_request");
    }

    @Test
    void ordinaryRequestsStillWork() throws IOException {
        Raw ok = get("/api/health", "");
        assertEquals(200, ok.status(), ok.body());
        assertJsonError(get("/api/nothing", ""), 404, "not_found");
    }
}
