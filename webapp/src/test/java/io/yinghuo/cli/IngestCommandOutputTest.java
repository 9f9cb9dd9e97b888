package io.yinghuo.cli;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.web.TestEmbeddings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code yinghuo ingest} prints: a line per file that says what happened to it (with its size and id when it
 * was indexed, the reason when not, its parse warnings), a summary whose counts add up, the vector stage's progress
 * and its failure, and an exit code that says whether any file failed.
 */
class IngestCommandOutputTest {

    private static final String PALACE = "故宫位于北京市中心，是明清两代的皇家宫殿，旧称紫禁城。";
    private static final String RIVER = "# 长江\n\n长江是中国第一长河，全长六千三百公里。";
    private static final Pattern ADDED = Pattern.compile(
            "^\\[\\d/\\d] added     (\\S+) \\((\\d+) characters, 1 chunk, document (\\S+)\\)$", Pattern.MULTILINE);

    @TempDir
    Path dir;
    Path docs;
    Path data;
    @RegisterExtension
    final TestEmbeddingModel embeddings = new TestEmbeddingModel();

    @BeforeEach
    void writeDocuments() throws IOException {
        docs = Files.createDirectories(dir.resolve("docs"));
        data = dir.resolve("data");
    }

    @Test
    void eachFileGetsALineAndTheSummaryAddsThemUp() throws IOException {
        Files.writeString(docs.resolve("故宫.txt"), PALACE, StandardCharsets.UTF_8);
        // a folder whose name looks like a document: walked into, never read as a file
        Files.writeString(Files.createDirectories(docs.resolve("旧.md")).resolve("长江.md"), RIVER,
                StandardCharsets.UTF_8);
        Files.writeString(docs.resolve("坏.pdf"), "not a pdf");

        CliRun.Result run = CliRun.run("ingest", "--data", data.toString(), "--no-vectors", "-v", docs.toString());

        assertEquals(1, run.code(), "a file failed: " + run.out());
        Matcher added = ADDED.matcher(run.out());
        long characters = 0;
        List<String> names = new java.util.ArrayList<>();
        while (added.find()) {
            names.add(added.group(1));
            characters += Long.parseLong(added.group(2));
            assertTrue(added.group(3).length() >= 8, added.group());
        }
        assertEquals(List.of("docs/故宫.txt", "docs/旧.md/长江.md"), names.stream().sorted().toList(), run.out());
        assertTrue(run.out().contains("failed    docs/坏.pdf: "), run.out());
        assertFalse(run.out().contains("cannot read"), "the folder 旧.md is not a file: " + run.out());
        assertTrue(run.out().contains("ingested 3 files: 2 added, 0 replaced, 0 unchanged, 0 duplicate, 1 failed; "
                + characters + " characters in "), "characters of the added files only: " + run.out());
        // -v: every stage of every file, the queue excepted
        assertTrue(run.out().contains("          parsing   docs/故宫.txt"), run.out());
        assertTrue(run.out().contains("          indexing  docs/旧.md/长江.md"), run.out());
        assertFalse(run.out().contains("queued"), run.out());
    }

    @Test
    void withoutVerboseOnlyTheOutcomesAndTheSummaryArePrinted() throws IOException {
        Files.writeString(docs.resolve("故宫.txt"), PALACE, StandardCharsets.UTF_8);

        CliRun.Result run = CliRun.run("ingest", "--data", data.toString(), "--no-vectors",
                docs.resolve("故宫.txt").toString());

        assertEquals(0, run.code(), run.err());
        String[] lines = run.out().split("\\R");
        assertEquals(2, lines.length, run.out());
        assertTrue(ADDED.matcher(lines[0]).matches(), lines[0]);
        assertTrue(lines[1].startsWith("ingested 1 file: 1 added, "), "one file, no plural: " + lines[1]);
    }

    @Test
    void unchangedAndDuplicateFilesSayWhyAndNothingMore() throws IOException {
        Path first = Files.writeString(docs.resolve("故宫.txt"), PALACE, StandardCharsets.UTF_8);
        Path copy = Files.writeString(dir.resolve("故宫副本.txt"), PALACE, StandardCharsets.UTF_8);
        assertEquals(0, CliRun.run("ingest", "--data", data.toString(), "--no-vectors", first.toString()).code());

        CliRun.Result again = CliRun.run("ingest", "--data", data.toString(), "--no-vectors", first.toString());
        assertEquals("[1/1] unchanged 故宫.txt", again.out().lines().findFirst().orElseThrow(), again.out());

        CliRun.Result duplicate = CliRun.run("ingest", "--data", data.toString(), "--no-vectors", copy.toString());
        assertEquals(0, duplicate.code(), "a duplicate is not a failure: " + duplicate.out());
        String line = duplicate.out().lines().findFirst().orElseThrow();
        assertTrue(line.startsWith("[1/1] duplicate 故宫副本.txt: ") && line.contains("故宫.txt"), line);
        assertFalse(line.contains("characters"), line);
        assertTrue(duplicate.out().contains("0 added, 0 replaced, 0 unchanged, 1 duplicate, 0 failed; 0 characters"),
                duplicate.out());
    }

    @Test
    void aFilesParseWarningsFollowItsLine() throws IOException {
        byte[] text = (PALACE + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] damaged = new byte[text.length + 1];
        System.arraycopy(text, 0, damaged, 0, 9);
        damaged[9] = (byte) 0xFF; // not UTF-8 anywhere
        System.arraycopy(text, 9, damaged, 10, text.length - 9);
        Path file = Files.write(docs.resolve("损坏.txt"), damaged);

        CliRun.Result run = CliRun.run("ingest", "--data", data.toString(), "--no-vectors", file.toString());

        assertEquals(0, run.code(), run.out());
        List<String> lines = run.out().lines().toList();
        assertTrue(ADDED.matcher(lines.get(0)).matches(), lines.get(0));
        assertEquals("    warning: 1 byte sequence(s) were not valid UTF-8 and were replaced by \uFFFD", lines.get(1));
    }

    @Test
    void noWaitVectorsCountsTheChunksStillWaitingInTheSingular() throws IOException {
        Files.writeString(docs.resolve("故宫.txt"), PALACE, StandardCharsets.UTF_8);

        CliRun.Result run = CliRun.run("ingest", "--data", data.toString(), "--no-wait-vectors", docs.toString());

        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("语义索引: 1 chunk of 1 document wait for their vectors;"), run.err());
    }

    @Test
    void theVectorStageShowsItsProgressAsPlainLinesWhenNotOnATerminal() throws IOException {
        Files.writeString(docs.resolve("故宫.txt"), PALACE, StandardCharsets.UTF_8);
        TestEmbeddings.Gate gate = new TestEmbeddings.Gate();
        embeddings.use(() -> TestEmbeddings.gated(gate));

        // the gate holds the model's warm-up until the progress line has been printed
        CliRun.Result run = CliRun.run(err -> {
            if (err.contains("语义索引 0/1 (loading the embedding model)\n")) {
                gate.open();
            }
        }, "ingest", "--data", data.toString(), docs.toString());

        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().startsWith("语义索引 0/1 (loading the embedding model)\n"), run.err());
        assertFalse(run.err().contains("\r") || run.err().contains("\u001b"), "no terminal controls in a log");
        assertTrue(run.err().matches("(?s).*\\n语义索引完成 1/1 \\(test-hashed-chars/64, \\d+\\.\\d s, \\d+ chunks/s\\)\\n"),
                run.err());
    }

    @Test
    void aVectorStageThatFailsIsReportedAndTheDocumentsStaySearchable() throws IOException {
        Files.writeString(docs.resolve("故宫.txt"), PALACE, StandardCharsets.UTF_8);
        embeddings.use(() -> Embedder.of(new BrokenModel(), "broken", 4, ""));

        CliRun.Result run = CliRun.run("ingest", "--data", data.toString(), docs.toString());

        assertEquals(0, run.code(), "the documents were added: " + run.out() + run.err());
        assertTrue(run.err().contains("yinghuo ingest: 语义索引失败 (模型文件已损坏); the documents are searchable by"
                + " keywords"), run.err());
        assertFalse(run.err().contains("语义索引完成"), run.err());
        CliRun.Result search = CliRun.run("search", "--data", data.toString(), "--no-vectors", "紫禁城");
        assertTrue(search.out().contains("故宫.txt"), search.out() + search.err());
    }

    /** An embedding model whose files are damaged: every call fails. */
    private static final class BrokenModel implements EmbeddingModel {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            throw new IllegalStateException("模型文件已损坏");
        }
    }
}
