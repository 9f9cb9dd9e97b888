package io.yinghuo.ingest.ocr;

import com.ibm.icu.text.Transliterator;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.ParseLimits;
import io.yinghuo.ingest.parse.ParsedDocument;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real scans, made here: dev-set articles typeset with Noto CJK at 300 dpi, clean and degraded, as PNG/JPEG files
 * and as PDFs without a text layer, read through {@link DocumentParsers} with Tesseract. Few short pages, so that
 * the whole class stays under a minute on two cores; {@link OcrBenchmark} measures full pages. Skips, saying why,
 * without Tesseract, the fonts or the shared dev set.
 */
class ScanOcrTest {

    private static final int LINES = 8;
    private static TesseractCommand engine;
    private static DocumentParsers parsers;

    @BeforeAll
    static void tesseract() {
        engine = new TesseractCommand("tesseract", OcrLanguages.DEFAULT, Duration.ofSeconds(60));
        Assumptions.assumeTrue(engine.unavailableReason() == null, engine.unavailableReason());
        parsers = new DocumentParsers(ParseLimits.defaults(), engine);
    }

    private static PrintedPages.Layout page(String file, int index, Font font) throws Exception {
        String text = DevDocuments.first(file, index + 1).get(index).text();
        return PrintedPages.layout(text, font, LINES);
    }

    @Test
    void cleanSimplifiedPngIsReadWithFewErrorsAndWordBoxes() throws Exception {
        Font font = PrintedPages.fontOrSkip("Noto Sans CJK SC", 12);
        PrintedPages.Layout layout = page("cmrc2018_documents.jsonl", 1, font);
        BufferedImage image = PrintedPages.render(layout.lines(), font, PrintedPages.heightFor(LINES, font));
        ParsedDocument doc = parsers.parse("扫描.png", PrintedPages.png(image));
        double cer = CharacterErrorRate.of(layout.printed(), doc.text());
        System.out.printf("clean simplified PNG: CER %.2f %%%n", 100 * cer);
        // One page of eight lines: a single glyph misread throughout (this article repeats the name 徐晓飞, whose
        // 飞 the fast chi_sim model reads as 《 in Noto Sans) moves it by a point; OcrBenchmark measures the 3 % goal
        // over full pages.
        assertTrue(cer <= 0.04, "CER " + cer + "\n" + doc.text());
        assertEquals("image", doc.format());
        assertEquals(1, doc.ocrPages().size());
        ParsedDocument.OcrPage boxes = doc.ocrPages().get(0);
        assertEquals("px", boxes.unit());
        assertEquals(image.getWidth(), boxes.width());
        assertTrue(boxes.words().size() > 20);
        for (ParsedDocument.WordBox box : boxes.words()) {
            assertTrue(box.start() < box.end() && box.end() <= doc.text().length(), box.toString());
            assertTrue(box.x() >= 0 && box.x() + box.width() <= image.getWidth() + 1, box.toString());
        }
        assertTrue(!doc.text().matches("(?s).*\\p{IsHan} \\p{IsHan}.*"), "no space between Chinese characters");
    }

    @Test
    void degradedJpegStaysUnderEightPercent() throws Exception {
        Font font = PrintedPages.fontOrSkip("Noto Serif CJK SC", 12);
        PrintedPages.Layout layout = page("cmrc2018_documents.jsonl", 2, font);
        BufferedImage image = PrintedPages.degrade(PrintedPages.render(layout.lines(), font,
                PrintedPages.heightFor(LINES, font)), 1.5, 12, 0.5f, 7);
        ParsedDocument doc = parsers.parse("photo.jpg", PrintedPages.jpeg(image, 0.9f));
        double cer = CharacterErrorRate.of(layout.printed(), doc.text());
        System.out.printf("degraded simplified JPEG: CER %.2f %%%n", 100 * cer);
        assertTrue(cer <= 0.08, "CER " + cer + "\n" + doc.text());
    }

    @Test
    void aTurnedPageIsStraightenedBeforeRecognitionAndItsBoxesLieOnThePrint() throws Exception {
        Font font = PrintedPages.fontOrSkip("Noto Serif CJK SC", 12);
        PrintedPages.Layout layout = page("cmrc2018_documents.jsonl", 8, font);
        // turned by 3° (a page laid crooked on the scanner), no noise
        BufferedImage image = PrintedPages.degrade(PrintedPages.render(layout.lines(), font,
                PrintedPages.heightFor(LINES, font)), 3, 0, 0.95f, 3);
        RecognisedPage page = engine.recognise(image, PrintedPages.DPI);
        String text = String.join("", OcrParagraphs.of(page).stream().map(OcrParagraphs.Paragraph::text).toList());
        double cer = CharacterErrorRate.of(layout.printed(), text);
        System.out.printf("page turned by 3°: CER %.2f %%%n", 100 * cer);
        // measured: 1.7 % straightened, 8.0 % as given (yinghuo.ocr.deskew=false)
        assertTrue(cer <= 0.04, "CER " + cer + "\n" + text);
        int onInk = 0;
        for (RecognisedWord word : page.words()) {
            // the box's middle third, on the page as given, holds ink: boxes were turned back with the page
            boolean ink = false;
            for (int y = word.y() + word.height() / 3; y < word.y() + 2 * word.height() / 3 && !ink; y++) {
                for (int x = word.x() + word.width() / 3; x < word.x() + 2 * word.width() / 3 && !ink; x++) {
                    ink = image.getRaster().getSample(x, y, 0) < 100;
                }
            }
            onInk += ink ? 1 : 0;
        }
        assertTrue(onInk >= 0.9 * page.words().size(), onInk + " of " + page.words().size() + " boxes on ink");
    }

    @Test
    void traditionalPageIsReadAsTraditional() throws Exception {
        Font font = PrintedPages.fontOrSkip("Noto Serif CJK TC", 12);
        String simplified = DevDocuments.first("cmrc2018_documents.jsonl", 4).get(3).text();
        String traditional = Transliterator.getInstance("Simplified-Traditional").transliterate(simplified);
        PrintedPages.Layout layout = PrintedPages.layout(traditional, font, LINES);
        BufferedImage image = PrintedPages.render(layout.lines(), font, PrintedPages.heightFor(LINES, font));
        ParsedDocument doc = parsers.parse("繁體.png", PrintedPages.png(image));
        double cer = CharacterErrorRate.of(layout.printed(), doc.text());
        System.out.printf("clean traditional PNG: CER %.2f %%, traditional share %.2f%n", 100 * cer,
                ChineseScript.traditionalShare(doc.text()));
        assertTrue(cer <= 0.03, "CER " + cer + "\n" + doc.text());
        assertTrue(ChineseScript.traditionalShare(doc.text()) > 0.1, doc.text());
    }

    @Test
    void scannedPdfPagesAreRecognisedWithPageNumbersAndBoxesInPoints() throws Exception {
        Font font = PrintedPages.fontOrSkip("Noto Sans CJK SC", 12);
        List<PrintedPages.Layout> layouts = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PDDocument pdf = new PDDocument()) {
            for (int i = 0; i < 2; i++) {
                PrintedPages.Layout layout = page("cmrc2018_documents.jsonl", 5 + i, font);
                layouts.add(layout);
                BufferedImage image = PrintedPages.render(layout.lines(), font, PrintedPages.PAGE_HEIGHT);
                PDImageXObject x = i == 0 ? PrintedPages.greyImage(pdf, image)
                        : JPEGFactory.createFromImage(pdf, image, 0.6f);
                PDPage page = new PDPage(PDRectangle.A4);
                pdf.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.drawImage(x, 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
                }
            }
            pdf.save(bytes);
        }
        List<Integer> progress = new ArrayList<>();
        ParsedDocument doc = parsers.parse("scan.pdf", bytes.toByteArray(),
                (done, total, characters) -> progress.add(done * 10 + total));
        assertEquals(List.of(12, 22), progress, "one progress event per recognised page");
        assertEquals(2, doc.pages().size());
        for (int i = 0; i < 2; i++) {
            ParsedDocument.PageSpan span = doc.pages().get(i);
            double cer = CharacterErrorRate.of(layouts.get(i).printed(), doc.text().substring(span.start(), span.end()));
            System.out.printf("scanned PDF page %d: CER %.2f %%%n", i + 1, 100 * cer);
            assertTrue(cer <= 0.05, "page " + (i + 1) + " CER " + cer);
            ParsedDocument.OcrPage boxes = doc.ocrPages().get(i);
            assertEquals(i + 1, boxes.page());
            assertEquals("pt", boxes.unit());
            assertEquals(PDRectangle.A4.getWidth(), boxes.width(), 0.01);
            for (ParsedDocument.WordBox box : boxes.words()) {
                assertTrue(box.start() >= span.start() && box.end() <= span.end(), "boxes stay on their page");
                assertTrue(box.x() + box.width() <= PDRectangle.A4.getWidth() + 1, box.toString());
            }
        }
        assertEquals(List.of(), doc.warningTexts());
    }
}
