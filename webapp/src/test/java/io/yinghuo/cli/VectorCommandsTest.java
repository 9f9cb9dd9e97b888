package io.yinghuo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.embeddings.BuiltInEmbeddings;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.vectors.VectorSpace;
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
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ingest} waits for the vectors (语义索引) unless {@code --no-wait-vectors}, skips them with
 * {@code --no-vectors}; {@code search} is hybrid where the documents have vectors and says so per hit. A small test
 * embedding model stands in for the built-in one, except in {@link #theBuiltInModelEndToEndWithQuietLoggers}.
 */
class VectorCommandsTest {

    static final VectorSpace TEST_SPACE = new VectorSpace(TestEmbeddings.MODEL_ID, TestEmbeddings.DIMENSION);

    @TempDir
    Path dir;
    Path docs;
    Path data;

    @RegisterExtension
    final TestEmbeddingModel embeddings = new TestEmbeddingModel();

    @BeforeEach
    void writeDocuments() throws IOException {
        docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("故宫.txt"), "故宫位于北京市中心，是明清两代的皇家宫殿。", StandardCharsets.UTF_8);
        Files.writeString(docs.resolve("长江.md"), "# 长江\n\n长江是中国第一长河，全长六千三百公里。", StandardCharsets.UTF_8);
        data = dir.resolve("data");
    }

    @Test
    void ingestWaitsUntilEveryChunkHasItsVector() throws IOException {
        CliRun.Result ingest = CliRun.run("ingest", "--data", data.toString(), docs.toString());
        assertEquals(0, ingest.code(), ingest.out() + ingest.err());
        assertTrue(ingest.out().contains("ingested 2 files: 2 added"), ingest.out());
        assertTrue(ingest.err().contains("语义索引完成 2/2 (" + TEST_SPACE.label()), ingest.err());
        assertEquals(List.of(TEST_SPACE, TEST_SPACE), vectorSpaces());

        // Everything has its vectors: a second run has nothing to embed and loads nothing.
        TestEmbeddings.Gate closed = new TestEmbeddings.Gate();
        embeddings.use(() -> TestEmbeddings.gated(closed));
        CliRun.Result again = CliRun.run("ingest", "--data", data.toString(), docs.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("语义索引完成 2/2"), again.err());
        assertEquals(0, closed.passages(), "nothing embedded");

        CliRun.Result json = CliRun.run("search", "--data", data.toString(), "--json", "--k", "2", "长江有多长");
        assertEquals(0, json.code(), json.err());
        JsonNode hits = new ObjectMapper().readTree(json.out()).get("hits");
        assertEquals(2, hits.size(), json.out());
        for (JsonNode hit : hits) {
            assertEquals("hybrid", hit.get("retrieval").asText(), hit.toString());
            double similarity = hit.get("similarity").asDouble();
            assertTrue(similarity >= 0 && similarity <= 1, hit.toString());
        }
        assertEquals("docs/长江.md", hits.get(0).get("file_name").asText());
    }

    @Test
    void noWaitVectorsExitsAfterTheKeywordCommitAndTheNextIngestCatchesUp() throws IOException {
        // A model that would never finish a passage: --no-wait-vectors must not even start embedding.
        TestEmbeddings.Gate closed = new TestEmbeddings.Gate();
        embeddings.use(() -> TestEmbeddings.gated(closed));
        CliRun.Result ingest = CliRun.run("ingest", "--data", data.toString(), "--no-wait-vectors", docs.toString());
        assertEquals(0, ingest.code(), ingest.out() + ingest.err());
        assertTrue(ingest.out().contains("ingested 2 files: 2 added"), ingest.out());
        assertFalse(ingest.err().contains("语义索引完成"), ingest.err());
        assertTrue(ingest.err().contains("wait for their vectors"), ingest.err());
        assertEquals(0, closed.passages());
        assertEquals(List.of(Optional.empty(), Optional.empty()), vectorSpacesOrEmpty());

        CliRun.Result lexical = CliRun.run("search", "--data", data.toString(), "--json", "故宫");
        assertEquals(0, lexical.code(), lexical.err());
        JsonNode hit = new ObjectMapper().readTree(lexical.out()).get("hits").get(0);
        assertEquals("lexical", hit.get("retrieval").asText(), "no vectors yet: keywords only");
        assertFalse(hit.has("similarity"), hit.toString());
        CliRun.Result text = CliRun.run("search", "--data", data.toString(), "故宫");
        assertTrue(text.out().contains(", lexical [document "), text.out());

        embeddings.use(TestEmbeddings::hashed);
        CliRun.Result next = CliRun.run("ingest", "--data", data.toString(), docs.toString());
        assertEquals(0, next.code(), next.err());
        assertTrue(next.out().contains("2 unchanged"), next.out());
        assertTrue(next.err().contains("语义索引完成 2/2"), next.err());
        assertEquals(List.of(TEST_SPACE, TEST_SPACE), vectorSpaces());
    }

    @Test
    void noVectorsNeitherMakesNorLoadsAnEmbeddingModel() throws IOException {
        CliRun.Result ingest = CliRun.run("ingest", "--data", data.toString(), "--no-vectors", docs.toString());
        assertEquals(0, ingest.code(), ingest.out() + ingest.err());
        assertFalse(ingest.err().contains("语义索引"), ingest.err());
        assertEquals(List.of(Optional.empty(), Optional.empty()), vectorSpacesOrEmpty());

        CliRun.Result search = CliRun.run("search", "--data", data.toString(), "--no-vectors", "--json", "故宫");
        assertEquals(0, search.code(), search.err());
        assertEquals("lexical", new ObjectMapper().readTree(search.out()).get("hits").get(0).get("retrieval")
                .asText());
        assertEquals(0, embeddings.made());
    }

    @Test
    void badInputIsOneLineWithoutAStackTrace() {
        CliRun.Result unknown = CliRun.run("ingest", "--no-wait-vectors", "--data", data.toString(),
                dir.resolve("nothing-here").toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("no such file or folder"), unknown.err());
        assertFalse(unknown.err().contains("\tat "), unknown.err());
        CliRun.Result value = CliRun.run("search", "--no-vectors=maybe", "--data", data.toString(), "x");
        assertEquals(2, value.code(), value.err());
        assertFalse(value.err().contains("\tat "), value.err());
    }

    /**
     * The real bge-small-zh-v1.5, once (it loads 100 MB): ingest embeds with it, search is hybrid, and the DJL
     * warnings of its loading (CUDA, tokenizer maxLength) stay out of the output.
     */
    @Test
    void theBuiltInModelEndToEndWithQuietLoggers() throws IOException {
        embeddings.use(BuiltInEmbeddings::bgeSmallZh);
        CliRun.Result ingest = CliRun.run("ingest", "--data", data.toString(), docs.toString());
        assertEquals(0, ingest.code(), ingest.out() + ingest.err());
        assertTrue(ingest.err().contains("语义索引完成 2/2 (bge-small-zh-v1.5/512"), ingest.err());
        CliRun.Result search = CliRun.run("search", "--data", data.toString(), "--json", "--k", "1",
                "中国最长的河流有多长");
        assertEquals(0, search.code(), search.err());
        JsonNode hit = new ObjectMapper().readTree(search.out()).get("hits").get(0);
        assertEquals("docs/长江.md", hit.get("file_name").asText());
        assertEquals("hybrid", hit.get("retrieval").asText());
        for (String err : List.of(ingest.err(), search.err())) {
            assertFalse(err.contains("WARN") || err.contains("ai.djl"), err);
        }
    }

    private List<VectorSpace> vectorSpaces() throws IOException {
        return vectorSpacesOrEmpty().stream().map(Optional::orElseThrow).toList();
    }

    private List<Optional<VectorSpace>> vectorSpacesOrEmpty() throws IOException {
        try (ChunkIndex index = ChunkIndex.openReadOnly(DataFolder.at(data).index())) {
            return index.documents().stream().map(DocumentRecord::docId).map(index::vectorSpace).toList();
        }
    }
}
