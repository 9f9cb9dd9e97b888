package io.yinghuo.ingest.ocr;

import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.ParseLimits;
import io.yinghuo.ingest.parse.ParsedDocument;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scanned PDFs the OCR tests and benchmarks make hold the page they typeset, grey level for grey level, so that a
 * PDF scan and a PNG of the same page are the same input to OCR. They did not: PDFBox's {@code LosslessFactory}
 * stored the grey page converted from linear grey to sRGB, a lighter page, and on it Tesseract left out the second
 * printed line of CMRC 2018 dev article DEV_47 (recognised from the PNG completely), which cost the retrieval
 * benchmark that article's two answers.
 */
class ScanPdfTest {

    @Test
    void scanPdfRendersBackToThePagesGreyLevels() throws Exception {
        BufferedImage page = new BufferedImage(PrintedPages.PAGE_WIDTH, PrintedPages.PAGE_HEIGHT,
                BufferedImage.TYPE_BYTE_GRAY);
        var raster = page.getRaster();
        for (int y = 0; y < page.getHeight(); y++) {
            for (int x = 0; x < page.getWidth(); x++) {
                // 256 vertical bands of every grey level, as an anti-aliased glyph edge has them
                raster.setSample(x, y, 0, x * 256 / page.getWidth());
            }
        }
        BufferedImage rendered;
        try (PDDocument pdf = Loader.loadPDF(PrintedPages.scanPdf(List.of(page)))) {
            rendered = new PDFRenderer(pdf).renderImage(0, PrintedPages.DPI / 72f, ImageType.GRAY);
        }
        assertEquals(page.getWidth(), rendered.getWidth());
        int y = page.getHeight() / 2;
        for (int level = 0; level < 256; level++) {
            int x = (level * page.getWidth() + page.getWidth() / 2) / 256; // the middle of the band
            assertEquals(level, rendered.getRaster().getSample(x, y, 0), 1.0, "grey level " + level + " at x " + x);
        }
    }

    @Test
    void secondLineOfDev47IsReadFromTheScannedPdf() throws Exception {
        TesseractCommand engine = new TesseractCommand("tesseract", OcrLanguages.DEFAULT, Duration.ofSeconds(60));
        Assumptions.assumeTrue(engine.unavailableReason() == null, engine.unavailableReason());
        Font font = PrintedPages.fontOrSkip("Noto Serif CJK SC", 12);
        DevDocuments.Document dev47 = DevDocuments.first("cmrc2018_documents.jsonl", 10).get(9);
        assertEquals("cmrc2018-DEV_47", dev47.id());
        // typeset as OcrRetrievalBenchmark does: the title, then the article, 36 lines of 12 pt on an A4 page
        PrintedPages.Layout layout = PrintedPages.layout(dev47.title() + "\n" + dev47.text(), font, 36);
        BufferedImage page = PrintedPages.render(layout.lines(), font, PrintedPages.PAGE_HEIGHT);
        ParsedDocument doc = new DocumentParsers(ParseLimits.defaults(), engine)
                .parse("DEV_47.pdf", PrintedPages.scanPdf(List.of(page)));
        String text = doc.text().replaceAll("\\s+", "");
        // the two answers on the page's second printed line (街441号，…由于受歧视而离开第一浸信会的3名), with at most
        // one character in ten misread, as the retrieval benchmark's tolerant answer@5 counts them
        for (String answer : List.of("底特律希腊城梦露街441号", "由于受歧视而离开第一浸信会的3名前奴隶")) {
            int distance = ApproximateMatch.distance(answer, text);
            assertTrue(distance <= Math.ceil(0.1 * answer.length()), answer + " is "
                    + ApproximateMatch.closest(answer, text) + " in\n" + doc.text());
        }
        assertTrue(CharacterErrorRate.of(layout.printed(), doc.text()) <= 0.05, doc.text());
    }
}
