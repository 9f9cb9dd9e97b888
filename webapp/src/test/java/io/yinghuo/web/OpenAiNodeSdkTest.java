package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.ingest.pipeline.DataFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official OpenAI Node SDK ({@code openai} on npm, pinned in {@code src/test/node/package.json}) against
 * {@code /v1}: chat, streaming, tool calls (plain and through the SDK's streaming helper), JSON schema output, and
 * each error as the SDK's own error class. Skipped, saying why, where {@code node} or the installed package is
 * missing ({@code .ci/run} runs {@code npm ci} there).
 */
class OpenAiNodeSdkTest {

    static final Path SCRIPT_DIR = Path.of("src/test/node");
    static final String KEY = "sdk-test-key-0123";

    @TempDir
    static Path dir;
    static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(onPath("node"), "OpenAI Node SDK test skipped: no node on the PATH");
        Assumptions.assumeTrue(Files.isDirectory(SCRIPT_DIR.resolve("node_modules/openai")),
                "OpenAI Node SDK test skipped: run `npm ci --prefix webapp/src/test/node` first (.ci/run does)");
        server = WebServer.create(ServerOptions.defaults().withPort(0).withApiKey(KEY),
                DataFolder.at(dir.resolve("data")), TinyModel.load(dir)).start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static boolean onPath(String command) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(folder, command))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theSdkChatsStreamsCallsToolsGetsJsonAndSeesEveryErrorAsItsClass() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "openai-sdk-check.mjs").directory(SCRIPT_DIR.toFile())
                .redirectErrorStream(false);
        builder.environment().put("YINGHUO_BASE_URL", "http://127.0.0.1:" + server.port() + "/v1");
        builder.environment().put("YINGHUO_API_KEY", KEY);
        builder.environment().put("YINGHUO_MODEL", server.models().name());
        Path errors = dir.resolve("node-stderr.txt");
        builder.redirectError(errors.toFile());
        Process node = builder.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(5, TimeUnit.MINUTES), "node finished");
        assertEquals(0, node.exitValue(), out + Files.readString(errors));
        JsonNode seen = Json.MAPPER.readTree(out.lines().reduce((a, b) -> b).orElseThrow());

        assertTrue(seen.at("/chat/id").asText().startsWith("chatcmpl-"), seen.toString());
        assertTrue(seen.at("/chat/usage/prompt_tokens").asInt() > 0);
        assertEquals(seen.at("/chat/content").asText(), seen.at("/stream/content").asText(),
                "greedy: the stream carries the same text");
        assertEquals("tool_calls", seen.at("/toolCall/finish").asText(), seen.toString());
        assertEquals("get_weather", seen.at("/toolCall/name").asText());
        assertTrue(List.of("北京", "上海").contains(seen.at("/toolCall/arguments/city").asText()), seen.toString());
        assertEquals("get_weather", seen.at("/streamedToolCall/name").asText(), seen.toString());
        assertTrue(List.of("北京", "上海").contains(seen.at("/streamedToolCall/arguments/city").asText()));
        assertEquals("stop", seen.at("/structured/finish").asText(), seen.toString());
        assertTrue(seen.at("/structured/value/sunny").isBoolean(), seen.toString());
        assertEquals("AuthenticationError", seen.at("/wrongKey/class").asText(), seen.toString());
        assertEquals("invalid_api_key", seen.at("/wrongKey/code").asText());
        assertEquals("BadRequestError", seen.at("/tooLong/class").asText(), seen.toString());
        assertEquals("context_length_exceeded", seen.at("/tooLong/code").asText());
        assertEquals("messages", seen.at("/tooLong/param").asText());
        assertEquals("NotFoundError", seen.at("/unknownModel/class").asText(), seen.toString());
        assertEquals("model_not_found", seen.at("/unknownModel/code").asText());
    }
}
