package io.yinghuo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ask} and {@code eval-qa} end to end: documents through the ingest command, a synthesized tiny model (random
 * weights, so its text is noise, but the tokenizer, template, budget, streaming and citations are the real ones).
 */
class AskCommandsTest {

    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUp() throws IOException {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("长江.txt"), "长江是中国第一长河，全长六千三百公里，流经十一个省级行政区。",
                StandardCharsets.UTF_8);
        Files.writeString(docs.resolve("故宫.md"), "# 故宫\n\n故宫位于北京市中心，旧称紫禁城，是明清两代的皇家宫殿。",
                StandardCharsets.UTF_8);
        Files.writeString(docs.resolve("龙井.txt"), "龙井茶产于杭州西湖一带，是中国十大名茶之一。", StandardCharsets.UTF_8);
        data = dir.resolve("data");
        CliRun.Result ingest = CliRun.run("ingest", "--data", data.toString(), docs.toString());
        assertEquals(0, ingest.code(), ingest.err());

        model = dir.resolve("tiny");
        Path tokenizer = SentencePieceModelWriter.small().write(dir.resolve("tokenizer.model"));
        CliRun.Result synth = CliRun.run("synth-model", "--shape", "tiny", "--tokenizer", tokenizer.toString(),
                "--out", model.toString());
        assertEquals(0, synth.code(), synth.err());
    }

    private static JsonNode json(CliRun.Result r) throws IOException {
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void withoutAModelAnswersWithPassagesMarkedAsSuch() {
        CliRun.Result r = CliRun.run("ask", "--data", data.toString(), "长江有多长？另外，故宫在哪里？");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("（问题分为 2 部分：长江有多长？；故宫在哪里？）"), r.out());
        assertTrue(r.out().contains("未加载模型"), r.out());
        assertTrue(r.out().contains("来源："), r.out());
        assertTrue(r.out().contains("长江.txt") && r.out().contains("故宫.md"), r.out());
    }

    @Test
    void saysNotFoundWhenNothingIsRelevant() throws IOException {
        JsonNode r = json(CliRun.run("ask", "--data", data.toString(), "--json", "量子计算机的工作原理是什么？"));
        assertEquals("not_found", r.get("kind").asText());
        assertEquals("未找到相关内容", r.get("answer").asText());
        assertEquals(0, r.get("sources").size());
    }

    @Test
    void searchModeListsPassagesWithOffsets() throws IOException {
        JsonNode r = json(CliRun.run("ask", "--data", data.toString(), "--mode", "search", "--json", "龙井茶产于哪里"));
        assertEquals("search_results", r.get("kind").asText());
        JsonNode first = r.get("sources").get(0);
        assertEquals("docs/龙井.txt", first.get("file_name").asText());
        assertTrue(first.get("end").asInt() > first.get("start").asInt());
        assertTrue(first.get("text").asText().contains("西湖"));
        // The same passage shape as `search --json` and the REST API, with the question's words marked (touching
        // matches are one mark).
        assertFalse(first.get("document_id").asText().isEmpty());
        assertTrue(first.get("cited").asBoolean());
        JsonNode span = first.get("highlights").get(0);
        assertEquals("龙井茶产于", first.get("text").asText().substring(span.get(0).asInt(), span.get(1).asInt()));
    }

    @Test
    void answersWithTheSynthesizedModelWithinTheBudget() throws IOException {
        JsonNode r = json(CliRun.run("ask", "--data", data.toString(), "--model", model.toString(), "--device", "cpu",
                "--threads", "1", "--template", "alpaca2", "--ctx", "2048", "--max-tokens", "8", "--temperature", "0",
                "--json", "长江有多长？另外，故宫在哪里？"));
        assertEquals("model", r.get("kind").asText());
        assertEquals(2, r.get("parts").size());
        Set<String> files = new HashSet<>();
        r.get("evidence").forEach(e -> files.add(e.get("file_name").asText()));
        assertTrue(files.containsAll(Set.of("docs/长江.txt", "docs/故宫.md")), files.toString());
        int prompt = r.get("prompt_tokens").asInt();
        assertTrue(prompt > 0 && prompt <= r.get("budget_tokens").asInt() && prompt + 8 <= 2048, r.toString());
        assertFalse(r.get("finish_reason").asText().isEmpty());
        // Random weights write noise; whatever it cites must be a listed passage.
        for (JsonNode source : r.get("sources")) {
            assertTrue(source.get("number").asInt() <= r.get("evidence").size());
        }
        // Streaming text output prints the same answer.
        CliRun.Result text = CliRun.run("ask", "--data", data.toString(), "--model", model.toString(), "--device",
                "cpu", "--threads", "1", "--template", "alpaca2", "--ctx", "2048", "--max-tokens", "8",
                "--temperature", "0", "长江有多长？另外，故宫在哪里？");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains(r.get("answer").asText()), text.out());
    }

    @Test
    void chatModeNeedsAModel() {
        CliRun.Result r = CliRun.run("ask", "--data", data.toString(), "--mode", "chat", "你好");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--mode chat needs --model"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void evalQaReportsCoverageWithoutAndWithTheSynthesizedModel() throws IOException {
        Path docs = dir.resolve("eval-docs.jsonl");
        Files.writeString(docs, String.join("\n",
                "{\"doc_id\":\"d1\",\"title\":\"长江\",\"text\":\"长江是中国第一长河，全长六千三百公里。\"}",
                "{\"doc_id\":\"d2\",\"title\":\"故宫\",\"text\":\"故宫位于北京市中心，旧称紫禁城。\"}",
                "{\"doc_id\":\"d3\",\"title\":\"龙井茶\",\"text\":\"龙井茶产于杭州西湖一带。\"}"), StandardCharsets.UTF_8);
        Path questions = dir.resolve("eval-questions.jsonl");
        Files.writeString(questions, String.join("\n",
                "{\"id\":\"q1\",\"question\":\"长江全长多少公里\",\"answers\":[\"六千三百公里\"],\"doc_id\":\"d1\"}",
                "{\"id\":\"q2\",\"question\":\"龙井茶产于哪里\",\"answers\":[\"杭州西湖一带\"],\"doc_id\":\"d3\"}",
                "{\"id\":\"m1\",\"question\":\"长江全长多少公里？另外，故宫旧称什么？\",\"answers\":[[\"六千三百公里\"],"
                        + "[\"紫禁城\"]],\"doc_ids\":[\"d1\",\"d2\"]}"), StandardCharsets.UTF_8);
        JsonNode plain = json(CliRun.run("eval-qa", "--docs", docs.toString(), "--questions", questions.toString(),
                "--json"));
        // The default configuration first (hybrid, with the built-in embedding model), then keywords only.
        assertEquals("hybrid", plain.get("runs").get(0).get("retrieval").asText());
        assertEquals("lexical", plain.get("runs").get(1).get("retrieval").asText());
        JsonNode hybrid = plain.get("runs").get(0).get("sources").get(0);
        assertEquals(1.0, hybrid.get("single").get("evidence_coverage").asDouble());
        assertEquals(1.0, hybrid.get("multi").get("evidence_coverage").asDouble());
        JsonNode report = plain.get("runs").get(1).get("sources").get(0);
        assertEquals(2, report.get("single").get("questions").asInt());
        assertEquals(1.0, report.get("single").get("evidence_coverage").asDouble());
        assertEquals(1.0, report.get("multi").get("evidence_coverage").asDouble());
        assertTrue(report.get("single").get("f1").isNull(), "no model, no F1");
        assertEquals(1.0, report.get("citation_precision").asDouble(), "the passages shown hold the answers");

        JsonNode withModel = json(CliRun.run("eval-qa", "--docs", docs.toString(), "--questions",
                questions.toString(), "--model", model.toString(), "--device", "cpu", "--threads", "1", "--template",
                "alpaca2", "--ctx", "2048", "--max-tokens", "8", "--temperature", "0", "--lexical-only", "--json"));
        assertEquals(1, withModel.get("runs").size(), "--lexical-only: one run");
        JsonNode m = withModel.get("runs").get(0).get("sources").get(0);
        assertEquals(3, m.get("model_answers").asInt());
        assertEquals(1.0, m.get("multi").get("evidence_coverage").asDouble(), "same packing with the model");
        assertNotNull(m.get("single").get("f1"));
        assertTrue(m.get("single").get("f1").isNumber());
        assertTrue(m.get("multi").get("mean_prompt_tokens").asDouble() > 0);
    }

    @Test
    void evalQaInTextComparesSimilarityFloorsAndCountsUnrelatedQuestionsNotFound() throws IOException {
        Path docs = Files.writeString(dir.resolve("text-docs.jsonl"), String.join("\n",
                "{\"doc_id\":\"d1\",\"title\":\"长江\",\"text\":\"长江是中国第一长河，全长六千三百公里。\"}",
                "{\"doc_id\":\"d2\",\"title\":\"故宫\",\"text\":\"故宫位于北京市中心，旧称紫禁城。\"}"),
                StandardCharsets.UTF_8);
        Path questions = Files.writeString(dir.resolve("text-questions.jsonl"), String.join("\n",
                "{\"id\":\"q1\",\"question\":\"长江全长多少公里\",\"answers\":[\"六千三百公里\"],\"doc_id\":\"d1\"}",
                "{\"id\":\"q2\",\"question\":\"故宫旧称什么\",\"answers\":[\"紫禁城\"],\"doc_id\":\"d2\"}"),
                StandardCharsets.UTF_8);
        Path unrelated = Files.writeString(dir.resolve("unrelated.txt"), "量子计算机的原理是什么\n\n  \n火星上有水吗\n",
                StandardCharsets.UTF_8);

        CliRun.Result r = CliRun.run("eval-qa", "--docs", docs.toString(), "--questions", questions.toString(),
                "--limit", "1", "--min-similarity", "0.2,0.9", "--unrelated", unrelated.toString());

        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("2 documents, \\d+ chunks; context 4096 tokens, 512 kept for the answer;"
                + " no model \\(evidence only\\)"), lines.get(0));
        List<String> runs = lines.stream().filter(l -> !l.startsWith(" ") && l.endsWith(":")).toList();
        assertEquals(List.of("hybrid, min similarity 0.2:", "hybrid, min similarity 0.9:", "lexical:"), runs);
        String lexical = r.out().substring(r.out().indexOf("lexical:"));
        assertTrue(lexical.contains("  text-questions.jsonl:\n    single       1 questions: evidence coverage 1.000"
                + " (gold documents 1.000)"), "--limit 1: " + lexical);
        assertTrue(lexical.contains("EM n/a, F1 n/a"), lexical);
        assertFalse(lexical.contains("multi-doc"), "no multi-document question, no line for them: " + lexical);
        assertTrue(lexical.contains("    citation precision 1.000 (1 cited sources); not found 0; model answers 0"),
                lexical);
        assertTrue(lexical.contains("    latency: retrieval+packing p50 "), lexical);
        assertTrue(lexical.contains("  unrelated questions: 2 of 2 answered 未找到相关内容"), "blank lines are no"
                + " questions: " + lexical);

        CliRun.Result negative = CliRun.run("eval-qa", "--docs", docs.toString(), "--questions", questions.toString(),
                "--limit", "-1");
        assertEquals(1, negative.code());
        assertTrue(negative.err().contains("--limit must be >= 0, got -1"), negative.err());
    }
}
