package io.yinghuo.retrieval.solr;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.util.JavaBinCodec;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP side of the Solr backend against a stand-in Solr on loopback (the JDK's HTTP server answering in Solr's
 * javabin format): cursor paging, credentials, and how failures read. The real SolrCloud behaviour is the contract
 * test's (module yinghuo-retrieval-solr-cluster-tests); these are what a cluster cannot be made to do on demand.
 */
class SolrAccessTest {

    /** One request the stand-in received: its form parameters and its Authorization header. */
    private record Received(Map<String, String> params, String authorization) {
    }

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** What the stand-in answers to a select request: a javabin response, or an HTTP error status. */
    private volatile Function<Map<String, String>, Object> answer = params -> 200;

    @BeforeEach
    void startStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/solr/kb/", this::handle);
        server.start();
    }

    @AfterEach
    void stopStandIn() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(200, -1); // the JDK client's probe before its first POST
                return;
            }
            Map<String, String> params = form(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            received.add(new Received(params, exchange.getRequestHeaders().getFirst("Authorization")));
            Object reply = answer.apply(params);
            if (reply instanceof Integer status) {
                NamedList<Object> error = new SimpleOrderedMap<>();
                error.add("msg", "the stand-in refuses (" + status + ")");
                error.add("code", status);
                NamedList<Object> body = new SimpleOrderedMap<>();
                body.add("error", error);
                send(exchange, status, body);
            } else {
                send(exchange, 200, reply);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JavaBinCodec codec = new JavaBinCodec()) {
            codec.marshal(body, bytes);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(status, bytes.size());
        try (OutputStream out = exchange.getResponseBody()) {
            bytes.writeTo(out);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return params;
    }

    private SolrLocation location(String user, String password) {
        return new SolrLocation("http://127.0.0.1:" + server.getAddress().getPort() + "/solr", "kb", user, password,
                null, null);
    }

    /** A Solr query response holding documents {@code from} (inclusive) to {@code to} and the next cursor mark. */
    private static NamedList<Object> page(int from, int to, int total, String nextCursor) {
        SolrDocumentList docs = new SolrDocumentList();
        docs.setNumFound(total);
        for (int i = from; i < to; i++) {
            SolrDocument doc = new SolrDocument();
            doc.setField("id", String.format("d%04d", i));
            docs.add(doc);
        }
        NamedList<Object> response = new SimpleOrderedMap<>();
        response.add("response", docs);
        response.add(CursorMarkParams.CURSOR_MARK_NEXT, nextCursor);
        return response;
    }

    /** Pages of {@code pageSize} over {@code total} documents; the cursor mark is the next document's number. */
    private static Object cursorPages(Map<String, String> params, int total) {
        String cursor = params.get(CursorMarkParams.CURSOR_MARK_PARAM);
        int from = CursorMarkParams.CURSOR_MARK_START.equals(cursor) ? 0 : Integer.parseInt(cursor);
        int to = Math.min(total, from + Integer.parseInt(params.get("rows")));
        // Solr's end of a cursor: a page that returns the cursor mark it was given
        return page(from, to, total, from == to ? cursor : Integer.toString(to));
    }

    @Test
    void allPagesThroughEveryDocumentOnceInOrder() throws IOException {
        answer = params -> cursorPages(params, 2_345);
        try (SolrAccess solr = new SolrAccess(location(null, null))) {
            List<SolrDocument> all = solr.all(new SolrQuery("kind:chunk"), "chunk_index asc");
            List<String> ids = all.stream().map(d -> (String) d.getFirstValue("id")).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 2_345; i++) {
                expected.add(String.format("d%04d", i));
            }
            assertEquals(expected, ids);
        }
        assertEquals(List.of("*", "1000", "2000", "2345"), received.stream()
                .map(r -> r.params().get(CursorMarkParams.CURSOR_MARK_PARAM)).toList(),
                "three full pages, then the page that returns its own cursor mark ends the paging");
        for (Received request : received) {
            assertEquals("chunk_index asc,id asc", request.params().get("sort"),
                    "a cursor needs the unique key as the last sort");
            assertEquals("1000", request.params().get("rows"));
            assertEquals("kind:chunk", request.params().get("q"));
        }
    }

    @Test
    void withoutASortTheIdAloneOrdersThePages() throws IOException {
        answer = params -> cursorPages(params, 3);
        try (SolrAccess solr = new SolrAccess(location(null, null))) {
            assertEquals(3, solr.all(new SolrQuery("*:*"), null).size());
        }
        assertEquals("id asc", received.get(0).params().get("sort"));
        assertEquals(2, received.size(), "one page and the one that ends it");
    }

    @Test
    void aCursorWithoutANextMarkEndsThePaging() throws IOException {
        answer = params -> page(0, 5, 5, null);
        try (SolrAccess solr = new SolrAccess(location(null, null))) {
            assertEquals(5, solr.all(new SolrQuery("*:*"), null).size());
        }
        assertEquals(1, received.size());
    }

    @Test
    void credentialsGoAsBasicAuthenticationOnEveryRequest() throws IOException {
        answer = params -> page(0, 1, 1, null);
        try (SolrAccess solr = new SolrAccess(location("app", "密码"))) {
            solr.query(new SolrQuery("*:*"));
        }
        try (SolrAccess solr = new SolrAccess(location("app", null))) {
            solr.query(new SolrQuery("*:*"));
        }
        try (SolrAccess solr = new SolrAccess(location(null, null))) {
            solr.query(new SolrQuery("*:*"));
        }
        assertEquals(List.of(basic("app:密码"), basic("app:")), received.subList(0, 2).stream()
                .map(Received::authorization).toList(), "a user without a password sends an empty one");
        assertNull(received.get(2).authorization(), "no user, no credentials");
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anErrorFromSolrNamesTheCollectionTheStatusAndWhatFailed() throws IOException {
        answer = params -> 503;
        try (SolrAccess solr = new SolrAccess(location(null, null))) {
            SolrUnavailableException e = assertThrows(SolrUnavailableException.class,
                    () -> solr.query(new SolrQuery("*:*")));
            String display = location(null, null).display();
            assertTrue(e.getMessage().startsWith("the Solr collection " + display + " failed (search); nothing was"
                    + " committed, retry when it is reachable: Solr answered 503: "), e.getMessage());
            UncheckedIOException unchecked = assertThrows(UncheckedIOException.class,
                    () -> solr.queryUnchecked(new SolrQuery("*:*")));
            assertEquals(e.getMessage(), unchecked.getMessage(), "the catalogue's reads fail with the same words");
            assertTrue(unchecked.getCause() instanceof SolrUnavailableException);
            SolrUnavailableException update = assertThrows(SolrUnavailableException.class,
                    () -> solr.request(new org.apache.solr.client.solrj.request.UpdateRequest()
                            .setAction(org.apache.solr.client.solrj.request.UpdateRequest.ACTION.COMMIT, true, true),
                            "commit"));
            assertTrue(update.getMessage().contains("failed (commit)"), update.getMessage());
        }
    }

    @Test
    void aRefusedConnectionIsSaidInWordsAndCredentialsNeverShow() throws IOException {
        try (SolrAccess solr = new SolrAccess(location("app", "secret"))) {
            String refused = solr.unavailable("update",
                    new SolrServerException(new ConnectException())).getMessage();
            assertTrue(refused.endsWith(": connection refused"), refused);
            String other = solr.unavailable("search",
                    new IOException("GET http://app:secret@127.0.0.1/solr/kb timed out")).getMessage();
            assertTrue(other.endsWith(": java.io.IOException: GET http://***@127.0.0.1/solr/kb timed out"), other);
            String wrapped = solr.unavailable("search",
                    new SolrServerException(new IOException("reset by peer"))).getMessage();
            assertTrue(wrapped.endsWith(": java.io.IOException: reset by peer"), "the cause, not the wrapper: "
                    + wrapped);
            String solrError = solr.unavailable("search",
                    new SolrException(SolrException.ErrorCode.BAD_REQUEST, "undefined field x")).getMessage();
            assertTrue(solrError.endsWith(": Solr answered 400: undefined field x"), solrError);
            assertFalse((refused + other + wrapped + solrError).contains("secret"));
        }
    }

    @Test
    void aTrustStoreThatCannotBeReadIsRefusedWithItsPath(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("ca.p12");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SolrAccess(
                new SolrLocation("https://127.0.0.1:1/solr", "kb", null, null, missing, null)));
        assertTrue(e.getMessage().startsWith("cannot read the trust store " + missing + ": "), e.getMessage());
        Path garbage = Files.writeString(dir.resolve("bad.p12"), "not a key store");
        assertThrows(IllegalArgumentException.class, () -> new SolrAccess(
                new SolrLocation("https://127.0.0.1:1/solr", "kb", null, null, garbage, "pw")));
    }

    @Test
    void aTrustStoreIsReadWithItsPassword() throws IOException {
        // the JDK's own certificate store is a PKCS12 file (JEP 229), password "changeit"
        Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        try (SolrAccess solr = new SolrAccess(
                new SolrLocation("https://127.0.0.1:1/solr", "kb", null, null, cacerts, "changeit"))) {
            assertEquals(cacerts, solr.location().trustStore());
        }
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> new SolrAccess(
                new SolrLocation("https://127.0.0.1:1/solr", "kb", null, null, cacerts, "wrong")));
        assertTrue(wrong.getMessage().contains(cacerts.toString()), wrong.getMessage());
    }

    /**
     * Solr behind TLS with a certificate the JVM does not trust (a private certificate authority): reached with the
     * trust store given, refused without it. The certificate is made by the JDK's keytool (self-signed, for
     * 127.0.0.1), so the test needs no file of its own.
     */
    @Test
    void aPrivateCertificateAuthorityIsTrustedThroughTheTrustStore(@TempDir Path dir) throws Exception {
        Path serverKeys = dir.resolve("server.p12");
        Path certificate = dir.resolve("server.cer");
        Path trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "solr", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                serverKeys.toString(), "-storepass", "server-pw", "-keypass", "server-pw");
        keytool("-exportcert", "-alias", "solr", "-keystore", serverKeys.toString(), "-storepass", "server-pw",
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "private-ca", "-file", certificate.toString(), "-storetype",
                "PKCS12", "-keystore", trustStore.toString(), "-storepass", "trust-pw");

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeys)) {
            keys.load(in, "server-pw".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "server-pw".toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer tls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        tls.createContext("/solr/kb/", this::handle);
        tls.start();
        try {
            answer = params -> page(0, 2, 2, null);
            String base = "https://127.0.0.1:" + tls.getAddress().getPort() + "/solr";
            try (SolrAccess trusted = new SolrAccess(new SolrLocation(base, "kb", null, null, trustStore,
                    "trust-pw"))) {
                assertEquals(2, trusted.query(new SolrQuery("*:*")).getResults().size());
            }
            try (SolrAccess untrusted = new SolrAccess(new SolrLocation(base, "kb", null, null, null, null))) {
                SolrUnavailableException e = assertThrows(SolrUnavailableException.class,
                        () -> untrusted.query(new SolrQuery("*:*")));
                assertTrue(e.getMessage().contains("retry when it is reachable"), e.getMessage());
            }
            assertEquals(1, received.size(), "the untrusted client sent nothing past the handshake");
        } finally {
            tls.stop(0);
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "keytool " + String.join(" ", args) + ": " + output);
    }

    @Test
    void exactValuesAreEscapedSoThatQuerySyntaxMatchesLiterally() {
        assertEquals("file_name:\"a\\ OR\\ \\*\\:\\*\\\"\"", SolrAccess.is("file_name", "a OR *:*\""));
        assertEquals("doc_id:(\"a\" OR \"b\\-c\")", SolrAccess.anyOf("doc_id", List.of("a", "b-c")));
    }
}
