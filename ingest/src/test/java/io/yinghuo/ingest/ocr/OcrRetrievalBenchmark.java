package io.yinghuo.ingest.ocr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.ingest.SharedFiles;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestOutcome;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What OCR costs retrieval: the first CMRC 2018 dev articles ingested twice, once as their text and once as scanned
 * PDFs (typeset at 300 dpi as in {@link OcrBenchmark}, no text layer, so the parser recognises every page with
 * Tesseract), and each folder asked the articles' questions. Prints answer@5 for both: the share of questions one
 * of whose reference answers appears (whitespace ignored, NFKC-normalised) in one of the five passages keyword search
 * returns, exactly and with at most 10 % of its characters wrong (rounded up: one in an answer of up to ten); and
 * lists the questions the scans lose, with the text OCR made of the answer.
 * Opt-in (minutes of CPU): {@code mvn -pl ingest test -Dtest=OcrRetrievalBenchmark -Dyinghuo.ocr.benchmark=true
 * [-Dyinghuo.ocr.benchmark.documents=20]}.
 */
class OcrRetrievalBenchmark {

    private static final int K = 5;

    @TempDir
    Path dir;

    @Test
    void answerAtFiveOnScansAgainstTheOriginals() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("yinghuo.ocr.benchmark"),
                "opt-in: run with -Dyinghuo.ocr.benchmark=true");
        TesseractCommand engine = TesseractCommand.fromEnvironment();
        Assumptions.assumeTrue(engine.unavailableReason() == null, engine.unavailableReason());
        int count = Integer.getInteger("yinghuo.ocr.benchmark.documents", 20);
        Font font = PrintedPages.fontOrSkip("Noto Serif CJK SC", 12);
        List<DevDocuments.Document> documents = DevDocuments.first("cmrc2018_documents.jsonl", count);
        Set<String> ids = documents.stream().map(DevDocuments.Document::id).collect(Collectors.toSet());
        List<JsonNode> questions = questions(ids);

        DataFolder originals = DataFolder.at(dir.resolve("originals"));
        DataFolder scans = DataFolder.at(dir.resolve("scans"));
        int pages = 0;
        long ocrNanos = 0;
        try (Ingestion text = new Ingestion(originals); Ingestion scanned = new Ingestion(scans)) {
            for (DevDocuments.Document document : documents) {
                text.add(document.id() + ".txt", (document.title() + "\n" + document.text())
                        .getBytes(StandardCharsets.UTF_8));
                List<BufferedImage> images = typeset(document.title() + "\n" + document.text(), font);
                pages += images.size();
                long start = System.nanoTime();
                scanned.add(document.id() + ".pdf", PrintedPages.scanPdf(images));
                ocrNanos += System.nanoTime() - start;
            }
            Score original = answerAtK(text.searcher, questions);
            Score ocr = answerAtK(scanned.searcher, questions);
            System.out.printf(Locale.ROOT, "OCR retrieval benchmark: %d CMRC 2018 dev articles (%d scanned pages,"
                    + " %.1f s of parsing with OCR), %d questions, keyword search%n", documents.size(), pages,
                    ocrNanos / 1e9, questions.size());
            System.out.printf(Locale.ROOT, "| corpus | answer@%d exact | answer@%d, ≤ 10 %% of its characters wrong"
                    + " | answer in its article's text (exact) |%n|---|---|---|---|%n", K, K);
            System.out.printf(Locale.ROOT, "| original text | %.1f %% | %.1f %% | %.1f %% |%n",
                    100 * original.exact(), 100 * original.tolerant(), 100 * text.answerInArticle(questions));
            System.out.printf(Locale.ROOT, "| OCR of 300 dpi scans (%s) | %.1f %% | %.1f %% | %.1f %% |%n", engine,
                    100 * ocr.exact(), 100 * ocr.tolerant(), 100 * scanned.answerInArticle(questions));
            System.out.println("Questions answered from the originals but not exactly from the scans (answer ->"
                    + " closest text in the OCR'd article):");
            for (JsonNode question : questions) {
                String id = question.get("id") == null ? "" : question.get("id").asText();
                if (original.found().contains(question) && !ocr.found().contains(question)) {
                    String answer = squeeze(question.get("answers").get(0).asText());
                    String article = scanned.articleText(question.get("doc_id").asText());
                    System.out.printf(Locale.ROOT, "  %s %s -> %s%s%n", id, answer,
                            ApproximateMatch.closest(answer, article),
                            ocr.tolerantFound().contains(question) ? " (found tolerantly)" : "");
                }
            }
        }
    }

    /** A data folder with its index and pipeline, closed in the right order. */
    private static final class Ingestion implements AutoCloseable {
        final ChunkIndex index;
        final IngestPipeline pipeline;
        final ChunkSearcher searcher;
        /** The document id of each dev article id. */
        final java.util.Map<String, String> docIds = new java.util.HashMap<>();

        Ingestion(DataFolder folder) throws IOException {
            IngestOptions options = IngestOptions.defaults();
            Files.createDirectories(folder.root());
            index = ChunkIndex.open(folder.index(), options.profile());
            pipeline = IngestPipeline.open(folder, index, options);
            searcher = new ChunkSearcher(index);
        }

        void add(String name, byte[] bytes) throws InterruptedException {
            IngestProgress done = pipeline.ingest(IngestSource.of(name, bytes));
            assertEquals(IngestOutcome.ADDED, done.outcome(), name + ": " + done.message());
            docIds.put(name.substring(0, name.lastIndexOf('.')), done.docId());
        }

        String articleText(String devId) throws IOException {
            return squeeze(index.chunks(docIds.get(devId)).stream()
                    .map(io.yinghuo.retrieval.index.ChunkRecord::text).collect(Collectors.joining()));
        }

        /** The share of questions one of whose answers is in its article's indexed text at all (what OCR kept). */
        double answerInArticle(List<JsonNode> questions) throws IOException {
            int found = 0;
            for (JsonNode question : questions) {
                String text = articleText(question.get("doc_id").asText());
                for (JsonNode answer : question.get("answers")) {
                    if (text.contains(squeeze(answer.asText()))) {
                        found++;
                        break;
                    }
                }
            }
            return questions.isEmpty() ? 0 : (double) found / questions.size();
        }

        @Override
        public void close() throws IOException {
            try {
                pipeline.close();
            } finally {
                index.close();
            }
        }
    }

    private static List<JsonNode> questions(Set<String> docIds) throws IOException {
        Path file = SharedFiles.dataFileOrSkip("cmrc2018_questions.jsonl");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> questions = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode node = json.readTree(line);
            if (docIds.contains(node.get("doc_id").asText())) {
                questions.add(node);
            }
        }
        return questions;
    }

    /** Questions answered within the top K passages: exactly, and with at most 10 % of the answer's characters wrong. */
    private record Score(Set<JsonNode> found, Set<JsonNode> tolerantFound, int questions) {
        double exact() {
            return questions == 0 ? 0 : (double) found.size() / questions;
        }

        double tolerant() {
            return questions == 0 ? 0 : (double) tolerantFound.size() / questions;
        }
    }

    private static Score answerAtK(ChunkSearcher searcher, List<JsonNode> questions) throws IOException {
        Set<JsonNode> exact = new java.util.HashSet<>();
        Set<JsonNode> tolerant = new java.util.HashSet<>();
        for (JsonNode question : questions) {
            List<SearchHit> hits = searcher.search(SearchRequest.of(question.get("question").asText(), K));
            List<String> passages = hits.stream().map(h -> squeeze(h.text())).toList();
            for (JsonNode answer : question.get("answers")) {
                String a = squeeze(answer.asText());
                if (passages.stream().anyMatch(p -> p.contains(a))) {
                    exact.add(question);
                }
                int allowed = (int) Math.ceil(0.1 * a.codePointCount(0, a.length()));
                if (passages.stream().anyMatch(p -> ApproximateMatch.distance(a, p) <= allowed)) {
                    tolerant.add(question);
                }
            }
        }
        return new Score(exact, tolerant, questions.size());
    }

    /**
     * Width variants count as the same character ("（" and "(", "：" and ":", full-width digits): a reader does not
     * tell them apart and Tesseract prints either. Whitespace is dropped (Chinese has none between words).
     */
    private static String squeeze(String text) {
        return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC).replaceAll("\\s+", "");
    }

    /** The article set in pages of 36 lines of 12 pt on A4 at 300 dpi. */
    private static List<BufferedImage> typeset(String text, Font font) {
        List<BufferedImage> pages = new ArrayList<>();
        String rest = text;
        while (!rest.isBlank()) {
            PrintedPages.Layout layout = PrintedPages.layout(rest, font, 36);
            if (layout.rest().length() >= rest.length()) {
                break;
            }
            rest = layout.rest();
            pages.add(PrintedPages.render(layout.lines(), font, PrintedPages.PAGE_HEIGHT));
        }
        return pages;
    }
}
