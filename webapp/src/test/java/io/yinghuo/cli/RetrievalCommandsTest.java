package io.yinghuo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ingest}, {@code search} and {@code eval-retrieval} through {@link Main#run} with temporary data folders;
 * {@code ingest} and {@code search} embed with a small test model in place of the built-in one.
 */
class RetrievalCommandsTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final TestEmbeddingModel embeddings = new TestEmbeddingModel();

    record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void ingestThenSearch() throws IOException {
        Path docs = Files.createDirectories(dir.resolve("docs/sub"));
        Files.writeString(docs.resolve("../故宫.txt"), "故宫位于北京市中心，是明清两代的皇家宫殿。", StandardCharsets.UTF_8);
        Files.writeString(docs.resolve("长江.md"), "# 长江\n\n长江是中国第一长河，全长六千三百公里。", StandardCharsets.UTF_8);
        Files.writeString(docs.resolve("视频.mp4"), "a type the ingest skips in folders");
        Files.writeString(dir.resolve("坏.pdf"), "not a pdf");
        Path data = dir.resolve("data");

        Result ingest = run("ingest", "--data", data.toString(), docs.getParent().toString());
        assertEquals(0, ingest.exitCode(), ingest.out() + ingest.err());
        assertTrue(ingest.out().contains("added     docs/故宫.txt"), ingest.out());
        assertTrue(ingest.out().contains("docs/sub/长江.md"), ingest.out());
        assertTrue(ingest.out().contains("ingested 2 files: 2 added, 0 replaced, 0 unchanged, 0 duplicate, 0 failed"),
                ingest.out());
        assertTrue(Files.isDirectory(data.resolve("index")) && Files.isDirectory(data.resolve("originals")));
        assertTrue(ingest.err().contains("语义索引完成 2/2"), ingest.err());

        Result again = run("ingest", "--data", data.toString(), docs.getParent().toString(),
                dir.resolve("坏.pdf").toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.out().contains("unchanged docs/故宫.txt"), again.out());
        assertTrue(again.out().contains("failed    坏.pdf: "), again.out());
        assertTrue(again.out().contains("2 unchanged, 0 duplicate, 1 failed"), again.out());

        Result text = run("search", "--data", data.toString(), "故宫在哪里？");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().matches("(?s)1\\. docs/故宫\\.txt \\(page 1\\) score [01]\\.\\d\\d,"
                + " hybrid, similarity [01]\\.\\d\\d \\[document .*"), text.out());
        assertTrue(text.out().contains("[故宫]"), text.out());

        Result json = run("search", "--data", data.toString(), "--k", "1", "--json", "长江", "多长");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertEquals("长江 多长", root.get("query").asText());
        JsonNode hit = root.get("hits").get(0);
        assertEquals(1, root.get("hits").size());
        assertEquals("docs/sub/长江.md", hit.get("file_name").asText());
        assertEquals("长江", hit.get("title").asText());
        JsonNode span = hit.get("highlights").get(0);
        assertEquals("长江", hit.get("text").asText().substring(span.get(0).asInt(), span.get(1).asInt()));
        assertTrue(hit.get("snippet_html").asText().contains("<mark>长江</mark>"));
        assertFalse(hit.get("document_id").asText().isEmpty());
        assertFalse(hit.has("doc_id"), "the REST API's field names");
        assertEquals("hybrid", hit.get("retrieval").asText());
        assertTrue(hit.get("similarity").asDouble() > 0.5, hit.toString());
        assertEquals(hit.get("text").asText().substring(hit.get("snippet").get("offset").asInt()),
                hit.get("snippet").get("text").asText(), "a short chunk is its own snippet");

        Result missing = run("search", "--data", dir.resolve("nothing").toString(), "x");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no index at") && missing.err().contains("yinghuo ingest"), missing.err());
    }

    @Test
    void benchIngestReportsEveryPassOfTheRealPipeline() throws IOException {
        Path docs = dir.resolve("docs.jsonl");
        Files.writeString(docs, String.join("\n",
                "{\"doc_id\":\"t-1\",\"title\":\"玉山\",\"text\":\"玉山是臺灣最高峰。海拔3952公尺。山上有圓柏。冬天会下雪。\"}",
                "{\"doc_id\":\"t-2\",\"title\":\"故宫\",\"text\":\"故宫位于北京。建于明朝永乐年间。是世界文化遗产。\"}"),
                StandardCharsets.UTF_8);
        Path folder = Files.createDirectories(dir.resolve("files"));
        Files.writeString(folder.resolve("西湖.txt"), "西湖位于杭州，以断桥残雪闻名。", StandardCharsets.UTF_8);

        Result result = run("bench-ingest", "--docs", docs.toString(), "--copies", "2", "--passes", "2",
                "--workers", "1", folder.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("bench-ingest: 5 files"), result.out());
        for (String pass : new String[] {"pass 1: 5 files (0 failed", "pass 2: 5 files (0 failed"}) {
            assertTrue(result.out().contains(pass), result.out());
        }
        assertTrue(result.out().contains("MiB/s"), result.out());

        Result nothing = run("bench-ingest");
        assertEquals(1, nothing.exitCode());
        assertTrue(nothing.err().contains("nothing to ingest"), nothing.err());
    }

    @Test
    void shuffledCopiesKeepEverySentence() {
        String text = "第一句。第二句！第三句？\n第四句没有句号";
        String shuffled = BenchIngestCommand.shuffleSentences(text, new java.util.Random(1));
        List<String> before = new ArrayList<>(List.of("第一句。", "第二句！", "第三句？", "第四句没有句号"));
        List<String> after = new ArrayList<>();
        for (String line : shuffled.split("\n")) {
            for (String sentence : line.split("(?<=[。！？])")) {
                after.add(sentence);
            }
        }
        before.sort(null);
        after.sort(null);
        assertEquals(before, after);
    }

    @Test
    void evalRetrievalOnASmallFixture() throws IOException {
        Path docs = dir.resolve("docs.jsonl");
        Files.writeString(docs, String.join("\n",
                "{\"doc_id\":\"t-1\",\"title\":\"玉山\",\"text\":\"玉山是臺灣最高峰，海拔3952公尺。\\n山上有圓柏。\"}",
                "{\"doc_id\":\"t-2\",\"title\":\"故宫\",\"text\":\"故宫位于北京，建于明朝永乐年间。\"}",
                "{\"doc_id\":\"t-3\",\"title\":\"西湖\",\"text\":\"西湖位于杭州，以断桥残雪闻名。\"}"), StandardCharsets.UTF_8);
        Path questions = dir.resolve("q.jsonl");
        Files.writeString(questions, String.join("\n",
                "{\"id\":\"1\",\"question\":\"玉山海拔多少公尺？\",\"answers\":[\"3952公尺\"],\"doc_id\":\"t-1\"}",
                "{\"id\":\"2\",\"question\":\"故宫建于哪个朝代？\",\"answers\":[\"明朝\"],\"doc_id\":\"t-2\"}",
                "{\"id\":\"3\",\"question\":\"西湖在哪座城市？\",\"answers\":[\"杭州\"],\"doc_id\":\"t-3\"}"),
                StandardCharsets.UTF_8);
        Path multi = dir.resolve("m.jsonl");
        Files.writeString(multi, "{\"id\":\"m\",\"question\":\"玉山海拔多少公尺？另外，西湖在哪座城市？\","
                + "\"answers\":[[\"3952公尺\"],[\"杭州\"]],\"doc_ids\":[\"t-1\",\"t-3\"]}\n", StandardCharsets.UTF_8);

        Result json = run("eval-retrieval", "--docs", docs.toString(), "--questions", questions.toString(),
                "--questions", multi.toString(), "--k", "1,2", "--baseline", "--warmup-passes", "2", "--json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode root = new ObjectMapper().readTree(json.out());
        // The default configuration first (hybrid), then keywords only on the same index, then the baseline.
        assertEquals(3, root.get("runs").size());
        JsonNode run = root.get("runs").get(0);
        assertEquals("hybrid", run.get("retrieval").asText());
        assertEquals("smartcn+bigram", run.get("analyzer").asText());
        assertEquals(3, run.get("vectors").get("chunks").asInt(), "every chunk embedded before the questions");
        assertTrue(run.get("vectors").get("chunks_per_second").asDouble() > 0);
        assertTrue(run.get("index_bytes").asLong() > 0);
        assertEquals("lexical", root.get("runs").get(1).get("retrieval").asText());
        assertTrue(root.get("runs").get(1).get("vectors") == null);
        assertEquals("cjk-bigram-baseline", root.get("runs").get(2).get("analyzer").asText());
        assertEquals(3, run.get("ingest").get("documents").asInt());
        assertTrue(run.get("ingest").get("characters_per_second").asDouble() > 0);
        assertEquals(2, run.get("ingest").get("warmup_passes").asInt());
        assertTrue(run.get("ingest").get("cold_megabytes_per_second").asDouble() > 0, "the first pass, cold");
        assertTrue(run.get("ingest").get("warm_median_megabytes_per_second").asDouble() > 0);
        JsonNode single = run.get("sources").get(0);
        assertEquals("q.jsonl", single.get("source").asText());
        assertEquals(1.0, single.get("answer_recall").get("1").asDouble());
        assertEquals(1.0, single.get("doc_recall").get("1").asDouble());
        assertEquals(1.0, single.get("mrr_at_10").asDouble());
        JsonNode compound = run.get("sources").get(1);
        assertEquals(1, compound.get("multi_doc_questions").asInt());
        assertEquals(1.0, compound.get("all_docs_recall").get("2").asDouble());
        assertTrue(compound.get("all_docs_recall").get("1") == null);

        Result text = run("eval-retrieval", "--docs", docs.toString(), "--questions", questions.toString(),
                "--questions", multi.toString(), "--warmup-passes", "1");
        assertEquals(0, text.exitCode(), text.err());
        String out = text.out();
        assertTrue(out.contains("answer recall      @1 1.000 @3 1.000 @5 1.000 @10 1.000"), out);
        assertTrue(out.matches("(?s)hybrid \\(smartcn\\+bigram\\): ingested 3 documents \\(3 chunks, \\d+ characters,"
                + " 0\\.00 MB\\) in [\\d.]+ s: \\d+ characters/s, [\\d.]+ MB/s \\(after 1 warm-up pass; median of the"
                + " last warm passes [\\d.]+ MB/s; the first pass, in the cold JVM, [\\d.]+ MB/s\\)\n.*"), out);
        assertTrue(out.contains("\n  vectors test-hashed-chars/64: 3 chunks embedded in "), out);
        assertTrue(out.matches("(?s).*\n  index [\\d.]+ MB on disk, heap in use \\d+ MB\n.*"), out);
        assertTrue(out.contains("\n  q.jsonl: 3 questions, 0 multi-document questions\n    doc recall         @1 1.000"),
                out);
        assertTrue(out.contains("\n    MRR@10             1.000\n"), out);
        assertTrue(out.contains("\n  m.jsonl: 0 questions, 1 multi-document questions\n    all-docs recall "), out);
        assertTrue(out.matches("(?s).*\n    all-docs recall    @\\d+ 1\\.000.*"), out);
        assertTrue(out.matches("(?s).*\n    all-answers recall @\\d+ .*"), out);
        assertTrue(out.matches("(?s).*\n    search latency     p50 [\\d.]+ ms, p99 [\\d.]+ ms\n.*"), out);
        assertTrue(out.contains("\nlexical (smartcn+bigram): ingested 3 documents"), out);
        assertFalse(out.substring(out.indexOf("\nlexical")).contains("vectors"), "keywords only: no vectors line");

        Result bad = run("eval-retrieval", "--docs", docs.toString(), "--questions", docs.toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("docs.jsonl line 1"), bad.err());
    }

    /** A slice of the real CMRC 2018 + DRCD dev files (skipped when ../shared is absent). */
    @Test
    void evalRetrievalOnRealDevSlice() throws IOException {
        Path shared = sharedData();
        Assumptions.assumeTrue(shared != null, "../shared/data/cmrc2018-dev not found: real-data eval skipped");
        Path docs = dir.resolve("dev_docs.jsonl");
        Path questions = dir.resolve("dev_questions.jsonl");
        Set<String> kept = new HashSet<>();
        List<String> docLines = new ArrayList<>();
        for (String source : List.of("cmrc2018", "drcd")) {
            List<String> lines = Files.readAllLines(shared.resolve(source + "_documents.jsonl"));
            for (String line : lines.subList(0, 25)) {
                docLines.add(line);
                kept.add(new ObjectMapper().readTree(line).get("doc_id").asText());
            }
        }
        Files.write(docs, docLines);
        List<String> questionLines = new ArrayList<>();
        for (String source : List.of("cmrc2018", "drcd")) {
            for (String line : Files.readAllLines(shared.resolve(source + "_questions.jsonl"))) {
                if (kept.contains(new ObjectMapper().readTree(line).get("doc_id").asText())) {
                    questionLines.add(line);
                }
            }
        }
        Files.write(questions, questionLines);
        Result json = run("eval-retrieval", "--docs", docs.toString(), "--questions", questions.toString(),
                "--no-warmup", "--json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode ours = new ObjectMapper().readTree(json.out()).get("runs").get(0);
        assertFalse(ours.get("ingest").get("warm").asBoolean());
        assertNull(ours.get("ingest").get("cold_megabytes_per_second"), "the measured pass is the cold one");
        assertNull(ours.get("ingest").get("warm_median_megabytes_per_second"));
        JsonNode source = ours.get("sources").get(0);
        assertTrue(source.get("questions").asInt() > 100);
        assertTrue(source.get("answer_recall").get("5").asDouble() >= 0.97, source.toString());
        assertTrue(source.get("doc_recall").get("1").asDouble() >= 0.95, source.toString());
    }

    private static Path sharedData() {
        for (Path at = Path.of(System.getProperty("user.dir")).toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.exists(at.resolve("shared/models/chinese-llama-2-tokenizer/tokenizer.model"))) {
                Path data = at.resolve("shared/data/cmrc2018-dev");
                return Files.isDirectory(data) ? data : null;
            }
        }
        return null;
    }
}
