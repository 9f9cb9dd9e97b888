package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.ingest.pipeline.DataFolder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-based fuzzing of every route that reads a JSON body (issue 24), against one running server with a
 * synthesized tiny model: {@code POST /api/ask} (whole and streamed), {@code /v1/chat/completions} (with and without
 * tools and streaming), {@code /v1/completions}, {@code /api/collections} and {@code /api/collections/rename}, and
 * the multipart uploads of {@code /api/documents}; and the query parameters of {@code GET /api/search}.
 * Each body comes from {@link HostileJson}: random bytes, or a valid body whose tree or bytes are damaged. Every
 * request must end
 * answered (2xx, a complete JSON body or event stream) or refused with a 4xx whose JSON error has a message free of
 * library class names; never a 5xx, never a hang (the client gives up after 60 s), and the server keeps answering.
 * The build runs this class alone in a JVM whose heap is capped at 256 MB over the server's own live set (the root
 * pom's surefire execution {@code fuzz-under-heap-cap}, webapp's {@code fuzz.heap.cap}): a request that makes the server keep more alive ends in an
 * OutOfMemoryError there, which fails the property.
 * Tries per property come from {@code jqwik.tries.default} (100 in src/test/resources/junit-platform.properties;
 * -Djqwik.tries.default=10000 for a long run).
 */
@Tag("heap-capped")
class RequestBodyFuzzTest {

    static final String ASK = """
            {"question":"保修期多久？","mode":"ask","history":[{"role":"user","content":"你好"},
             {"role":"assistant","content":"您好，有什么可以帮您？"}],"document_ids":[],"collections":[""],
             "sources":3,"temperature":0.2,"max_tokens":4,"stream":false}""";
    static final String ASK_STREAMED_CHAT = """
            {"question":"长江有多长？","mode":"chat","history":[],"max_tokens":4,"context_length":512,"stream":true}""";
    static final String CHAT = """
            {"model":"tiny","messages":[{"role":"system","content":"你是助手"},{"role":"user","content":"你好"}],
             "max_tokens":4,"temperature":0,"top_p":0.9,"top_k":20,"stop":["。"],"seed":7,"stream":false,
             "response_format":{"type":"text"}}""";
    static final String CHAT_STREAMED_WITH_TOOLS = """
            {"model":"tiny","messages":[{"role":"user","content":"北京天气如何？"}],"max_tokens":4,"stream":true,
             "stream_options":{"include_usage":true},"tool_choice":"auto",
             "tools":[{"type":"function","function":{"name":"weather","description":"查询天气",
              "parameters":{"type":"object","properties":{"city":{"type":"string","enum":["北京","上海"]},
              "days":{"type":"integer"}},"required":["city"]}}}]}""";
    static final String COMPLETION = """
            {"model":"tiny","prompt":"从前有座山","max_tokens":4,"temperature":0.7,"stop":"\\n","stream":false}""";
    static final String NEW_COLLECTION = """
            {"name":"资料"}""";
    static final String RENAME = """
            {"from":"资料","to":"新资料"}""";

    /**
     * A qualified Java class name or a simple one of an exception ("org.eclipse.x.Y", "JsonParseException"). A
     * lower-case dotted path is a field the request named ("tools[0].function.parameters.properties.city").
     */
    private static final Pattern LIBRARY_NAME = Pattern.compile(
            "\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z]|\\b[A-Z][A-Za-z]*(?:Exception|Error)\\b|\\bat [a-z]+\\.[a-z]+\\(");

    static Path dir;
    static WebServer server;
    static Http http;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("request-fuzz");
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")),
                TinyModel.load(dir)).start();
        http = new Http("http://127.0.0.1:" + server.port());
    }

    @AfterContainer
    static void stop() throws IOException {
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Example
    void theValidBodiesAreAnswered() {
        assertEquals(200, http.postJson("/api/ask", ASK).status());
        assertEquals(200, http.postJson("/api/ask", ASK_STREAMED_CHAT).status());
        assertEquals(200, http.postJson("/v1/chat/completions", CHAT).status());
        assertEquals(200, http.postJson("/v1/chat/completions", CHAT_STREAMED_WITH_TOOLS).status());
        assertEquals(200, http.postJson("/v1/completions", COMPLETION).status());
        assertEquals(201, http.postJson("/api/collections", NEW_COLLECTION).status());
        assertEquals(200, http.postJson("/api/collections/rename", RENAME).status());
    }

    @Property
    void ask(@ForAll("seeds") Random random) {
        answeredOrRefused("/api/ask", HostileJson.body(ASK, random));
    }

    @Property
    void streamedAsk(@ForAll("seeds") Random random) {
        answeredOrRefused("/api/ask", HostileJson.body(ASK_STREAMED_CHAT, random));
    }

    @Property
    void chatCompletions(@ForAll("seeds") Random random) {
        answeredOrRefused("/v1/chat/completions", HostileJson.body(CHAT, random));
    }

    @Property
    void streamedChatCompletionsWithTools(@ForAll("seeds") Random random) {
        answeredOrRefused("/v1/chat/completions", HostileJson.body(CHAT_STREAMED_WITH_TOOLS, random));
    }

    @Property
    void completions(@ForAll("seeds") Random random) {
        answeredOrRefused("/v1/completions", HostileJson.body(COMPLETION, random));
    }

    @Property
    void collections(@ForAll("seeds") Random random) {
        answeredOrRefused("/api/collections", HostileJson.body(NEW_COLLECTION, random));
        answeredOrRefused("/api/collections/rename", HostileJson.body(RENAME, random));
    }

    /**
     * Uploads: a multipart body of one to three files with hostile names (paths, NUL, 300 characters, none) and an
     * optional collection field, whole or with its bytes damaged, under a content type whose boundary may not be the
     * body's. Accepted files are ingested in the background like any others.
     */
    @Property
    void uploads(@ForAll("seeds") Random random) {
        String boundary = "----fuzz" + Long.toUnsignedString(random.nextLong(), 36);
        StringBuilder parts = new StringBuilder();
        if (random.nextInt(4) == 0) {
            parts.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"collection\"\r\n\r\n")
                    .append(NAMES.get(random.nextInt(NAMES.size()))).append("\r\n");
        }
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            byte[] content = ("第" + i + "份文件：长江流经十一个省份。").getBytes(StandardCharsets.UTF_8);
            if (random.nextBoolean()) {
                content = new byte[random.nextInt(200)];
                random.nextBytes(content);
            }
            files.put(NAMES.get(random.nextInt(NAMES.size())) + (i > 1 ? "-" + i : ""), content);
        }
        byte[] body = concat(parts.toString().getBytes(StandardCharsets.UTF_8), Http.multipart(boundary, files));
        if (random.nextBoolean()) {
            body = HostileJson.damageBytes(body, random);
        }
        String contentType = switch (random.nextInt(6)) {
            case 0 -> "multipart/form-data";
            case 1 -> "multipart/form-data; boundary=" + boundary.substring(0, boundary.length() / 2);
            case 2 -> "multipart/form-data; boundary=\"" + boundary + "\"; charset=gbk";
            default -> "multipart/form-data; boundary=" + boundary;
        };
        answeredOrRefused("/api/documents", contentType, body);
    }

    /**
     * Searches: {@code q}, {@code k}, {@code doc} and {@code collection} each present or not, with values that are
     * long, empty, out of range, or percent-encoded bytes that are not UTF-8.
     */
    @Property
    void searches(@ForAll("seeds") Random random) {
        StringBuilder query = new StringBuilder("/api/search?");
        for (String name : List.of("q", "k", "doc", "collection", "q")) {
            if (random.nextInt(3) > 0) {
                query.append(name).append('=').append(QUERY_VALUES.get(random.nextInt(QUERY_VALUES.size())))
                        .append('&');
            }
        }
        if (random.nextInt(4) == 0) {
            query.append("q=").append(java.net.URLEncoder.encode("长江".repeat(1 + random.nextInt(20_000)),
                    StandardCharsets.UTF_8));
        }
        String path = query.toString();
        answeredOrRefused("/api/search", preview(path), http.get(path));
    }

    private static final List<String> QUERY_VALUES = List.of("", "%E9%95%BF%E6%B1%9F", "%C0%AF", "%ED%A0%80", "%FF",
            "%00", "-1", "0", "1", "5", "100", "1000000", "99999999999999999999", "1e3", "abc", "%20", "..%2F..%2Fa",
            "%E9%BB%98%E8%AE%A4", "%2A", "OR%20AND%20NOT", "%22unclosed", "a%5Bb%5D", "title%3A%E9%95%BF", "%5C");

    private static final List<String> NAMES = List.of("报告.txt", "notes.md", "../../etc/passwd", "..\\..\\a.txt",
            "a\u0000b.txt", "", " ", "x".repeat(300) + ".txt", "合同".repeat(100) + ".pdf", "con.txt", ".hidden",
            "a.exe", "表.csv", "a\"b.txt", "a\r\nContent-Type: text/html\r\n.txt", "默认", "\uFFFF.txt");

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    /** A seeded Random per try: jqwik reports the seed of a failing try, which replays it exactly. */
    @Provide
    Arbitrary<Random> seeds() {
        return Arbitraries.longs().map(Random::new);
    }

    // --- the check ---

    static void answeredOrRefused(String path, byte[] body) {
        answeredOrRefused(path, "application/json", body);
    }

    static void answeredOrRefused(String path, String contentType, byte[] body) {
        answeredOrRefused(path, preview(body), http.post(path, contentType, body));
    }

    /** The checks on the answer {@code r} to a request of {@code route}, shown as {@code request} when one fails. */
    static void answeredOrRefused(String route, String request, Http.Response r) {
        String shown = route + " " + r.status() + " for " + request + ": " + preview(r.body());
        Statistics.label(route).collect(r.status());
        assertTrue(r.status() < 500, shown);
        if (r.status() >= 400) {
            JsonNode error = r.json().get("error");
            assertNotNull(error, shown);
            String message = error.path("message").asText("");
            assertFalse(message.isBlank(), shown);
            assertFalse(LIBRARY_NAME.matcher(message).find(), "library text in the message: " + shown);
        } else if (r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            assertFalse(r.events().isEmpty(), shown);
            for (Map.Entry<String, String> event : r.events()) {
                if (!event.getValue().equals("[DONE]")) {
                    JsonNode data = json(event.getValue(), shown);
                    String message = data.path("error").path("message").asText("");
                    assertFalse(LIBRARY_NAME.matcher(message).find(), "library text in an event: " + shown);
                }
            }
        } else {
            assertTrue(r.json().isObject(), shown);
        }
        assertEquals(200, http.get("/api/health").status(), "the server answers after " + shown);
    }

    private static JsonNode json(String text, String shown) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("an event that is not JSON: " + shown, e);
        }
    }

    private static String preview(byte[] body) {
        return preview(new String(body, StandardCharsets.UTF_8));
    }

    private static String preview(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "… (" + text.length() + " characters)";
    }
}
