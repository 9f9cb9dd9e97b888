package io.yinghuo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code generate}, {@code perplexity} and {@code bench} on a synthesized tiny checkpoint, through {@link Main#run}. */
class ModelCommandsTest {

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void synthesize() {
        model = dir.resolve("tiny");
        Path tokenizer = SentencePieceModelWriter.small().write(dir.resolve("tokenizer.model"));
        CliRun.Result r = CliRun.run("synth-model", "--shape", "tiny", "--act-order", "true", "--sym", "false",
                "--tokenizer", tokenizer.toString(), "--out", model.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void generateStreamsAReproducibleAnswerAndReportsTimings() {
        String[] args = {"generate", "--model", model.toString(), "--device", "cpu", "--prompt", "你好，世界",
                "--max-tokens", "8", "--temperature", "0.8", "--seed", "3"};
        CliRun.Result first = CliRun.run(args);
        assertEquals(0, first.code(), first.err());
        assertFalse(first.out().isBlank(), "an answer is printed");
        assertTrue(first.err().contains("decode") && first.err().contains("tok/s"), first.err());
        assertTrue(first.err().contains("finish: length"), first.err());
        assertEquals(first.out(), CliRun.run(args).out(), "the same seed gives the same answer");
    }

    @Test
    void generateRunsAgainFromAnEmptyCacheAndPrintsTheAnswerOnce() {
        CliRun.Result r = CliRun.run("generate", "--model", model.toString(), "--device", "cpu", "--prompt", "你好",
                "--max-tokens", "3", "--temperature", "0", "--runs", "2", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{"), "--json: the answer is held to a JSON object (cut here at 3 tokens): "
                + r.out());
        assertEquals(1, r.out().strip().lines().count(), "the first run's answer only: " + r.out());
        java.util.List<String> err = r.err().lines().toList();
        assertTrue(err.stream().anyMatch(l -> l.matches(
                "generate: template raw \\(nothing in .* identifies a chat format .*\\)")),
                "the template chosen, and why: " + r.err());
        java.util.regex.Matcher header = java.util.regex.Pattern.compile(
                "generate: .*, template raw, (\\d+) prompt tokens, context \\d+").matcher(r.err());
        assertTrue(header.find(), r.err());
        String prompt = header.group(1);
        for (int run = 1; run <= 2; run++) {
            String prefix = "run " + run + ": prefill " + prompt + " tokens in ";
            assertTrue(err.stream().anyMatch(l -> l.startsWith(prefix)),
                    "every run prefills the whole prompt again: " + r.err());
        }
    }

    @Test
    void generateReadsThePromptFromStdinAndRejectsEmptyInput() {
        CliRun.Result r = CliRun.run("中国的首都".getBytes(StandardCharsets.UTF_8), "generate", "--model",
                model.toString(), "--template", "raw", "--max-tokens", "4", "--temperature", "0");
        assertEquals(0, r.code(), r.err());
        CliRun.Result empty = CliRun.run("  \n".getBytes(StandardCharsets.UTF_8), "generate", "--model",
                model.toString());
        assertEquals(1, empty.code());
        assertTrue(empty.err().contains("nothing to answer"), empty.err());
        CliRun.Result badTemplate = CliRun.run("generate", "--model", model.toString(), "--prompt", "x",
                "--template", "vicuna");
        assertEquals(1, badTemplate.code());
        assertTrue(badTemplate.err().contains("valid names: alpaca2, llama2-chat, firefly, raw"), badTemplate.err());
    }

    @Test
    void perplexityJsonFollowsTheWindowContract() throws Exception {
        String text = "中国的首都是北京。\n北京是中国的首都。\n" + "hello world ".repeat(20);
        Path file = Files.writeString(dir.resolve("text.txt"), text, StandardCharsets.UTF_8);
        int ctx = 16;
        CliRun.Result r = CliRun.run("perplexity", "--model", model.toString(), "--file", file.toString(), "--ctx",
                String.valueOf(ctx), "--device", "cpu", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());

        int ids = SentencePieceTokenizer.load(model.resolve("tokenizer.model")).encode(text).length + 1; // + BOS
        int fullWindows = ids / ctx;
        int rest = ids % ctx;
        int expectedScored = fullWindows * (ctx - 1) + (rest >= 2 ? rest - 1 : 0);
        assertEquals(expectedScored, json.get("tokens").asInt());
        assertEquals(expectedScored, json.get("token_logprobs").size());
        double sum = 0;
        for (JsonNode lp : json.get("token_logprobs")) {
            assertTrue(lp.asDouble() <= 0, "log-probabilities are <= 0");
            sum -= lp.asDouble();
        }
        assertEquals(sum / expectedScored, json.get("nll").asDouble(), 1e-9);
        assertEquals(Math.exp(json.get("nll").asDouble()), json.get("ppl").asDouble(), 1e-6 * json.get("ppl").asDouble());
    }

    @Test
    void perplexityRejectsBadArguments() {
        CliRun.Result r = CliRun.run("perplexity", "--model", model.toString(), "--file",
                dir.resolve("absent.txt").toString(), "--ctx", "64");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no such file"), r.err());
        r = CliRun.run("perplexity", "--model", dir.resolve("no-model").toString(), "--file",
                model.resolve("config.json").toString(), "--ctx", "64");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("does not exist"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void benchReportsEveryFigure() throws Exception {
        CliRun.Result r = CliRun.run("bench", "--model", model.toString(), "--device", "cpu", "--prompt-tokens", "8",
                "--gen-tokens", "4", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        for (String field : new String[] {"prefill_tokens_per_second", "decode_tokens_per_second", "bytes_per_token",
                "achieved_bytes_per_second", "ceiling_bytes_per_second", "fraction_of_ceiling", "peak_rss_bytes"}) {
            assertTrue(json.has(field), field);
        }
        assertTrue(json.get("decode_tokens_per_second").asDouble() > 0);
        assertTrue(json.get("bytes_per_token").asLong() > 0);
        assertEquals(8, json.get("prompt_tokens").asInt());
        assertTrue(json.get("bandwidth_bytes_per_second").isNull(), "no bandwidth given: null, not a guess");
        assertTrue(json.get("fraction_of_bandwidth").isNull());
    }

    @Test
    void benchReportsTheShareOfAGivenBandwidth() throws Exception {
        CliRun.Result r = CliRun.run("bench", "--model", model.toString(), "--device", "cpu", "--prompt-tokens", "4",
                "--gen-tokens", "2", "--bandwidth-bytes-per-second", "3.0e12", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(3.0e12, json.get("bandwidth_bytes_per_second").asDouble());
        assertEquals(json.get("achieved_bytes_per_second").asDouble() / 3.0e12,
                json.get("fraction_of_bandwidth").asDouble(), 1e-15);

        CliRun.Result text = CliRun.run("bench", "--model", model.toString(), "--device", "cpu", "--prompt-tokens",
                "4", "--gen-tokens", "2", "--bandwidth-bytes-per-second", "3000000000000");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("of the given 3000.00 GB/s"), text.out());
        java.util.regex.Matcher achieved = java.util.regex.Pattern.compile("achieved ([\\d.]+) GB/s = (\\d+)% of the"
                + " given 3000\\.00 GB/s").matcher(text.out());
        assertTrue(achieved.find(), text.out());
        assertEquals(Math.round(100 * Double.parseDouble(achieved.group(1)) / 3000), Long.parseLong(achieved.group(2)),
                text.out());
        java.util.regex.Matcher memory = java.util.regex.Pattern.compile("peak resident memory ([\\d.]+) GB \\(now"
                + " ([\\d.]+) GB heap and other anonymous memory, ([\\d.]+) GB mapped checkpoint pages\\); KV cache"
                + " ([\\d.]+) KB per context token").matcher(text.out());
        assertTrue(memory.find(), text.out());
        assertTrue(Double.parseDouble(memory.group(1)) > 0.01, "a JVM's resident memory is tens of MB: " + text.out());
        JsonNode figures = new ObjectMapper().readTree(CliRun.run("bench", "--model", model.toString(), "--device", "cpu",
                "--prompt-tokens", "4", "--gen-tokens", "2", "--json").out());
        assertEquals(figures.get("kv_bytes_per_token").asDouble() / 1e3, Double.parseDouble(memory.group(4)), 0.05);
        for (String[] tokens : new String[][] {{"0", "2"}, {"4", "0"}}) {
            CliRun.Result none = CliRun.run("bench", "--model", model.toString(), "--prompt-tokens", tokens[0],
                    "--gen-tokens", tokens[1]);
            assertEquals(1, none.code());
            assertTrue(none.err().contains("--prompt-tokens and --gen-tokens must be >= 1"), none.err());
        }

        CliRun.Result bad = CliRun.run("bench", "--model", model.toString(), "--bandwidth-bytes-per-second", "-1");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--bandwidth-bytes-per-second must be a positive number"), bad.err());
        assertFalse(bad.err().contains("\tat "), "no stack trace");
    }
}
