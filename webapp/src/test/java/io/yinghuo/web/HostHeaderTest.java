package io.yinghuo.web;

import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server that listens on loopback answers only requests addressed to loopback: a web page on another site that
 * makes its own name resolve to 127.0.0.1 (DNS rebinding) sends that name as the Host header and is refused, so it
 * cannot read the user's documents. Raw sockets, since Java's HTTP client will not send a Host header of our choosing.
 */
class HostHeaderTest {

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

    private static JettyErrorsTest.Raw withHost(String host) throws IOException {
        return JettyErrorsTest.send(server.port(), "GET /api/documents HTTP/1.1\r\nHost: " + host
                + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void loopbackNamesAndAddressesAreAnswered() throws IOException {
        int port = server.port();
        for (String host : List.of("127.0.0.1:" + port, "127.0.0.1", "localhost:" + port, "LocalHost",
                "[::1]:" + port, "[::1]", "127.255.10.1")) {
            assertEquals(200, withHost(host).status(), host);
        }
    }

    @Test
    void anyOtherHostIsRefusedWithAJsonError() throws IOException {
        int port = server.port();
        for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1.evil.example",
                "localhost.evil.example:" + port, "evil-localhost", "[::2]:" + port, "127.0.0.1000",
                "128.0.0.1", "192.168.1.10:" + port, "0.0.0.0")) {
            JettyErrorsTest.Raw r = withHost(host);
            JettyErrorsTest.assertJsonError(r, 403, "forbidden_host");
        }
        // an IPv6 host without its closing bracket does not get as far: Jetty refuses it, as JSON too
        JettyErrorsTest.assertJsonError(withHost("[::1"), 400, "bad_request");
    }

    @Test
    void aRequestWithoutAHostIsRefused() throws IOException {
        JettyErrorsTest.Raw r = JettyErrorsTest.send(server.port(), "GET /api/documents HTTP/1.0\r\n\r\n");
        assertEquals(403, r.status(), r.head() + "\n" + r.body());
    }
}
