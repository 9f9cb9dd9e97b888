package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.ocr.OcrEngine;
import io.yinghuo.ingest.ocr.RecognisedPage;
import io.yinghuo.ingest.ocr.RecognisedWord;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.ParseLimits;
import io.yinghuo.ingest.parse.ParsedDocument;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestOutcome;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.ingest.pipeline.ParseStep;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.web.generation.ModelService;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/documents/{id}/pages/{n}/boxes} and {@code ocr_pages} of {@code /text} for a scanned PDF: the
 * scan is OCR'd by a fake engine into the data folder (the server's own ingestion would call Tesseract), then the
 * server opens that folder and answers from the boxes kept there.
 */
class WordBoxApiTest {

    /** The resolution the parser rendered the scanned pages at (a PDF point is 1/72 inch). */
    static volatile int renderedDpi;

    @TempDir
    static Path dir;
    static WebServer server;
    static Http http;
    static String scanId;
    /** A second scan, deleted by a test. */
    static String otherScanId;
    static String textId;

    /** Recognises two words on every page: "第N页" at (300, 600) and "扫描文字" below it, 1200 × 100 pixels each. */
    static final class TwoWordsPerPage implements OcrEngine {
        private final AtomicInteger pages = new AtomicInteger();

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public RecognisedPage recognise(BufferedImage image, int dpi) {
            renderedDpi = dpi;
            int page = pages.incrementAndGet();
            return new RecognisedPage(image.getWidth(), image.getHeight(), List.of(
                    new RecognisedWord(1, 1, 1, "第" + page + "页", 300, 600, 1200, 100, 95),
                    new RecognisedWord(1, 1, 2, "扫描文字", 300, 800, 1200, 100, 95)));
        }

        @Override
        public RecognisedPage recognise(byte[] encodedImage, int dpi) {
            throw new UnsupportedOperationException("only PDF pages here");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        DataFolder data = DataFolder.at(dir.resolve("data"));
        DocumentParsers parsers = new DocumentParsers(ParseLimits.defaults(), new TwoWordsPerPage());
        ParseStep ocr = new ParseStep() {
            @Override
            public ParsedDocument parse(String fileName, byte[] bytes) throws Exception {
                return parsers.parse(fileName, bytes);
            }
        };
        IngestOptions options = IngestOptions.of(ocr, new ChineseChunker()::chunk);
        Files.createDirectories(data.root());
        try (ChunkIndex index = ChunkIndex.open(data.index(), options.profile());
             IngestPipeline pipeline = IngestPipeline.open(data, index, options)) {
            IngestProgress scan = pipeline.ingest(IngestSource.of("扫描合同.pdf", scanPdf(2)));
            assertEquals(IngestOutcome.ADDED, scan.outcome(), scan.message());
            scanId = scan.docId();
            IngestProgress other = pipeline.ingest(IngestSource.of("另一份扫描.pdf", scanPdf(1)));
            assertEquals(IngestOutcome.ADDED, other.outcome(), other.message());
            otherScanId = other.docId();
        }
        server = WebServer.create(ServerOptions.defaults().withPort(0), data, ModelService.none(4)).start();
        http = new Http("http://127.0.0.1:" + server.port());
        Http.Response r = http.upload(Map.of("说明.txt", "这是一份有文字的说明。".getBytes(StandardCharsets.UTF_8)));
        assertEquals(202, r.status(), r.body());
        textId = r.json().get("files").get(0).get("document_id").asText();
        server.pipeline().awaitIdle();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    /** A PDF of {@code pages} A4 pages that show an image and have no text layer. */
    static byte[] scanPdf(int pages) throws IOException {
        BufferedImage image = new BufferedImage(200, 100, BufferedImage.TYPE_BYTE_GRAY);
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDImageXObject x = LosslessFactory.createFromImage(pdf, image);
            for (int i = 0; i < pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                pdf.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.drawImage(x, 50, 50, 400, 200);
                }
            }
            pdf.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void aScannedPageAnswersItsWordBoxesInPdfPointsWithOffsetsIntoTheParsedText() {
        Http.Response r = http.get("/api/documents/" + scanId + "/pages/2/boxes");
        assertEquals(200, r.status(), r.body());
        JsonNode boxes = r.json();
        assertEquals(2, boxes.get("page").asInt());
        assertEquals("pt", boxes.get("unit").asText());
        assertEquals(PDRectangle.A4.getWidth(), boxes.get("width").floatValue(), 0.5);
        assertEquals(PDRectangle.A4.getHeight(), boxes.get("height").floatValue(), 0.5);
        JsonNode words = boxes.get("words");
        assertEquals(2, words.size(), boxes.toString());
        JsonNode second = words.get(1);
        assertEquals(List.of("start", "end", "x", "y", "w", "h"), fieldNames(second), "the fields viewer.js reads");
        float pointsPerPixel = 72f / renderedDpi;
        assertEquals(300 * pointsPerPixel, second.get("x").floatValue(), 0.5);
        assertEquals(800 * pointsPerPixel, second.get("y").floatValue(), 0.5);
        assertEquals(1200 * pointsPerPixel, second.get("w").floatValue(), 0.5);
        assertEquals(100 * pointsPerPixel, second.get("h").floatValue(), 0.5);
        for (int i = 0; i < words.size(); i++) {
            int start = words.get(i).get("start").asInt();
            int end = words.get(i).get("end").asInt();
            String text = http.get("/api/documents/" + scanId + "/text?start=" + start + "&end=" + end).json()
                    .get("text").asText();
            assertEquals(i == 0 ? "第2页" : "扫描文字", text);
        }
    }

    @Test
    void theTextSaysWhichPagesHaveBoxesAndOtherPagesAndDocumentsAnswer404() {
        JsonNode scanText = http.get("/api/documents/" + scanId + "/text?start=0&end=5").json();
        assertEquals("[1,2]", scanText.get("ocr_pages").toString());
        JsonNode plainText = http.get("/api/documents/" + textId + "/text?start=0&end=5").json();
        assertEquals("[]", plainText.get("ocr_pages").toString());
        assertEquals(404, http.get("/api/documents/" + scanId + "/pages/3/boxes").status());
        assertEquals(404, http.get("/api/documents/" + textId + "/pages/1/boxes").status());
    }

    @Test
    void deletingAScanRemovesItsBoxes() throws Exception {
        assertEquals(200, http.get("/api/documents/" + otherScanId + "/pages/1/boxes").status());
        assertEquals(2, storedBoxFiles(), "one file per scan, none for the text");
        assertEquals(204, http.delete("/api/documents/" + otherScanId).status());
        assertEquals(404, http.get("/api/documents/" + otherScanId + "/pages/1/boxes").status());
        assertEquals(1, storedBoxFiles());
        assertEquals(200, http.get("/api/documents/" + scanId + "/pages/1/boxes").status());
    }

    private static long storedBoxFiles() throws IOException {
        try (Stream<Path> files = Files.list(DataFolder.at(dir.resolve("data")).wordBoxes())) {
            return files.count();
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
