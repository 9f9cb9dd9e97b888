package io.yinghuo.ingest.chunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.ingest.SharedFiles;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.ParsedDocument;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.langchain4j.YinghuoTokenCountEstimator;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chunker invariants on the real CMRC 2018 (Simplified) and DRCD (Traditional) dev documents, with the estimator and
 * with the real Chinese LLaMA-2 tokenizer; the estimator's error against the tokenizer; throughput figures.
 * Skipped when ../shared is absent.
 */
class RealDocumentsChunkingTest {

    private static List<ParsedDocument> documents() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<ParsedDocument> docs = new ArrayList<>();
        for (String file : List.of("cmrc2018_documents.jsonl", "drcd_documents.jsonl")) {
            for (String line : Files.readAllLines(SharedFiles.dataFileOrSkip(file))) {
                JsonNode node = json.readTree(line);
                String text = node.get("text").asText();
                docs.add(new ParsedDocument(text, node.get("doc_id").asText(), "text",
                        List.of(new ParsedDocument.PageSpan(1, 0, text.length())), List.of()));
            }
        }
        return docs;
    }

    @Test
    void invariantsWithTheEstimator() throws Exception {
        ChunkerConfig config = new ChunkerConfig(128, 32, 192); // small, so documents split into several chunks
        ChineseChunker chunker = new ChineseChunker(config, TokenCounter.estimator());
        int chunks = 0;
        for (ParsedDocument doc : documents()) {
            List<Chunk> result = chunker.chunk(doc);
            ChunkInvariants.check(doc, result, config, TokenCounter.estimator());
            chunks += result.size();
        }
        assertTrue(chunks > 369);
    }

    @Test
    void invariantsWithTheRealTokenizerAndEstimatorError() throws Exception {
        TokenCounter real = TokenCounter.of(new YinghuoTokenCountEstimator(
                SentencePieceTokenizer.load(SharedFiles.tokenizerOrSkip()), ChatTemplates.alpaca2()));
        ChunkerConfig config = new ChunkerConfig(160, 32, 240);
        ChineseChunker exact = new ChineseChunker(config, real);
        ChineseChunker estimated = new ChineseChunker(config, TokenCounter.estimator());
        List<Double> errors = new ArrayList<>();
        int over = 0;
        for (ParsedDocument doc : documents()) {
            List<Chunk> result = exact.chunk(doc);
            ChunkInvariants.check(doc, result, config, real);
            for (Chunk c : estimated.chunk(doc)) {
                int actual = real.count(c.text());
                errors.add((c.tokenCount() - actual) / (double) actual);
                if (actual > config.maxTokens()) {
                    over++;
                }
            }
        }
        double mean = errors.stream().mapToDouble(d -> d).average().orElseThrow();
        double meanAbs = errors.stream().mapToDouble(Math::abs).average().orElseThrow();
        double[] sorted = errors.stream().mapToDouble(Math::abs).sorted().toArray();
        double p95 = sorted[(int) (sorted.length * 0.95)];
        double under10 = errors.stream().filter(e -> e < -0.10).count() / (double) errors.size();
        System.out.printf(Locale.ROOT, "estimator vs tokenizer on %d chunks: mean %+.1f%%, mean |err| %.1f%%, "
                        + "p95 |err| %.1f%%, under-estimated by >10%%: %.1f%%, real count over max: %d%n",
                errors.size(), mean * 100, meanAbs * 100, p95 * 100, under10 * 100, over);
        assertTrue(meanAbs < 0.10, "estimator mean abs error " + meanAbs);
        assertTrue(over == 0, over + " estimator-sized chunks exceed the maximum in real tokens");
    }

    /** Parse (GB18030 text, charset detection included) and chunk throughput; printed, not asserted. */
    @Test
    void throughput() throws Exception {
        StringBuilder corpus = new StringBuilder();
        List<ParsedDocument> docs = documents();
        while (corpus.length() < 2_000_000) {
            for (ParsedDocument doc : docs) {
                corpus.append(doc.text()).append("\n\n");
            }
        }
        byte[] gb = corpus.toString().getBytes(Charset.forName("GB18030"));
        byte[] utf8 = corpus.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DocumentParsers parsers = DocumentParsers.withDefaults();
        ChineseChunker chunker = new ChineseChunker();
        ParsedDocument parsed = null;
        for (int warm = 0; warm < 2; warm++) {
            parsed = parsers.parse("corpus.txt", gb);
            chunker.chunk(parsed);
        }
        long t0 = System.nanoTime();
        parsed = parsers.parse("corpus.txt", gb);
        long t1 = System.nanoTime();
        List<Chunk> chunks = chunker.chunk(parsed);
        long t2 = System.nanoTime();
        double mb = utf8.length / 1e6;
        System.out.printf(Locale.ROOT, "throughput on %.1f MB (UTF-8 size) of Chinese text, %d chunks: "
                        + "GB18030 txt parse %.1f MB/s, chunk (estimator) %.1f MB/s, both %.1f MB/s%n",
                mb, chunks.size(), mb / ((t1 - t0) / 1e9), mb / ((t2 - t1) / 1e9), mb / ((t2 - t0) / 1e9));
        assertTrue(chunks.size() > 100);
    }
}
