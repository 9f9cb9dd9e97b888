package io.yinghuo.ingest.parse;

import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.chunk.Chunk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No CJK font is installed on the build machine (fc-list :lang=zh is empty), and PDFBox's standard 14 fonts have no
 * Chinese glyphs, so these PDFs hold English text; page handling does not depend on the script.
 */
class PdfParserTest {

    private final DocumentParsers parsers = DocumentParsers.withDefaults();

    @Test
    void pagesKeepTheirNumbersAndEmptyPagesAreReported() throws Exception {
        byte[] pdf = TestDocuments.pdf(List.of(
                List.of("Annual report of the lighthouse keepers.", "The first paragraph continues on",
                        "a second printed line and ends here."),
                List.of(),
                List.of("Page three talks about the lamp.", "", "A second paragraph on page three.")),
                "Lighthouse report", null, null);
        ParsedDocument doc = parsers.parse("report.pdf", pdf);
        assertEquals("pdf", doc.format());
        assertEquals("Lighthouse report", doc.title());
        assertEquals(3, doc.pages().size());
        ParsedDocument.PageSpan p1 = doc.pages().get(0);
        ParsedDocument.PageSpan p2 = doc.pages().get(1);
        ParsedDocument.PageSpan p3 = doc.pages().get(2);
        assertEquals(List.of(1, 2, 3), doc.pages().stream().map(ParsedDocument.PageSpan::page).toList());
        String page1 = doc.text().substring(p1.start(), p1.end());
        // Wrapped lines of one paragraph are joined into one line.
        assertTrue(page1.contains("continues on a second printed line and ends here."), page1);
        assertEquals(p2.start(), p2.end(), "the empty page has an empty span");
        String page3 = doc.text().substring(p3.start(), p3.end());
        assertTrue(page3.startsWith("Page three talks about the lamp."), page3);
        assertTrue(page3.contains("A second paragraph on page three."), page3);
        assertEquals(List.of("page 2 has no text"),
                doc.warningTexts());

        List<Chunk> chunks = new ChineseChunker().chunk(doc);
        assertEquals(1, chunks.get(0).page());
        Chunk last = chunks.get(chunks.size() - 1);
        assertEquals(3, last.page());
        assertTrue(chunks.stream().noneMatch(c -> c.start() < p3.start() && c.end() > p3.start()),
                "no chunk spans two pages");
    }

    @Test
    void ownerPasswordOnlyPdfOpens() throws Exception {
        byte[] pdf = TestDocuments.pdf(List.of(List.of("Readable without a password.")), null, "owner", "");
        ParsedDocument doc = parsers.parse("restricted.pdf", pdf);
        assertEquals("Readable without a password.", doc.text());
    }

    @Test
    void userPasswordPdfIsRefusedAsEncrypted() throws Exception {
        byte[] pdf = TestDocuments.pdf(List.of(List.of("Secret.")), null, "owner", "user");
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> parsers.parse("报告.pdf", pdf));
        assertEquals(DocumentParseException.Reason.ENCRYPTED, e.reason());
        assertEquals("报告.pdf: the PDF is encrypted (password protected)", e.getMessage());
    }

    @Test
    void corruptPdfIsRefused() throws Exception {
        byte[] good = TestDocuments.pdf(List.of(List.of("Some text.")), null, null, null);
        byte[] garbage = "%PDF-1.7\nthis is not really a pdf\n%%EOF".getBytes();
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> parsers.parse("bad.pdf", garbage));
        assertEquals(DocumentParseException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().startsWith("bad.pdf: the PDF is damaged"), e.getMessage());

        byte[] notPdf = "just some words".getBytes();
        DocumentParseException e2 = assertThrows(DocumentParseException.class, () -> parsers.parse("x.pdf", notPdf));
        assertEquals(DocumentParseException.Reason.CORRUPT, e2.reason());

        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 3);
        DocumentParseException e3 = assertThrows(DocumentParseException.class,
                () -> parsers.parse("cut.pdf", truncated));
        assertFalse(e3.getMessage().isBlank());
    }

    @Test
    void pdfWithoutAnyTextIsRefusedAsScanned() throws Exception {
        byte[] pdf = TestDocuments.pdf(List.of(List.of(), List.of()), null, null, null);
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> parsers.parse("scan.pdf", pdf));
        assertEquals(DocumentParseException.Reason.NO_TEXT, e.reason());
        assertEquals("scan.pdf: no text found in the document (no text layer and no images: blank pages, or text"
                + " drawn as shapes)", e.getMessage());
    }

    @Test
    void pdfNamedTxtIsReadAsPdf() throws Exception {
        byte[] pdf = TestDocuments.pdf(List.of(List.of("Hidden PDF.")), null, null, null);
        ParsedDocument doc = parsers.parse("notes.txt", pdf);
        assertEquals("pdf", doc.format());
        assertEquals("Hidden PDF.", doc.text());
        assertTrue(doc.warningTexts().get(0).contains("named .txt but its content is PDF"), doc.warningTexts().toString());
    }
    /** Titles a producer writes for every file say nothing about this one: the file's name stands in for them. */
    @Test
    void producerTitlesGiveWayToTheFileName() throws Exception {
        for (String producer : List.of("Microsoft Word - 草稿.docx", "untitled", "UNTITLED", "scan_0001.pdf",
                "report.DOC", "   ")) {
            byte[] pdf = TestDocuments.pdf(List.of(List.of("Body text.")), producer, null, null);
            assertEquals("年度报告", parsers.parse("年度报告.pdf", pdf).title(), producer);
        }
        byte[] titled = TestDocuments.pdf(List.of(List.of("Body text.")), "  Annual report 2024  ", null, null);
        assertEquals("Annual report 2024", parsers.parse("年度报告.pdf", titled).title());
    }

    /**
     * Words that a PDF places one by one (each shown at its own position, as many producers do) are read with one
     * space where the gap is a word space, and stay apart as cells where it is wider than 0.75 font sizes.
     */
    @Test
    void wordsPlacedOneByOneAreJoinedByOneSpace() throws Exception {
        // gaps of 3.3 pt: about a space (3.34 pt), well under a cell gap (9 pt)
        byte[] pdf = placedWords(List.of(new Object[]{"Hello", 72f}, new Object[]{"world", 72f + 27.34f + 3.3f},
                new Object[]{"again.", 72f + 27.34f + 3.3f + 28.67f + 3.3f}));
        assertEquals("Hello world again.", parsers.parse("words.pdf", pdf).text());
        byte[] touching = placedWords(List.of(new Object[]{"Hello", 72f}, new Object[]{"world", 72f + 27.34f}));
        assertEquals("Helloworld", parsers.parse("touching.pdf", touching).text(), "no gap, no space");
    }

    /** One line of words, each shown at its x position (12 pt Helvetica: "Hello" 27.34 pt wide, "world" 28.67). */
    private static byte[] placedWords(List<Object[]> words) throws java.io.IOException {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
             java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                var font = new org.apache.pdfbox.pdmodel.font.PDType1Font(
                        org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
                for (Object[] word : words) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.newLineAtOffset((Float) word[1], 700);
                    content.showText((String) word[0]);
                    content.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }
    /**
     * A PDF with text pages and a scanned one, on a machine without OCR: the text is read and the scan is named in a
     * warning that says why it was not, instead of the whole file being refused.
     */
    @Test
    void aScannedPageWithoutOcrIsNamedAndTheTextPagesAreRead() throws Exception {
        byte[] pdf;
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
             java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
            for (String text : new String[]{"Typed page one.", null, "Typed page three."}) {
                org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
                doc.addPage(page);
                try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                    if (text == null) {
                        java.awt.image.BufferedImage scan = new java.awt.image.BufferedImage(80, 60,
                                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                        content.drawImage(org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory
                                .createFromImage(doc, scan), 50, 50, 400, 300);
                    } else {
                        content.beginText();
                        content.setFont(new org.apache.pdfbox.pdmodel.font.PDType1Font(
                                org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 12);
                        content.newLineAtOffset(72, 700);
                        content.showText(text);
                        content.endText();
                    }
                }
            }
            doc.save(out);
            pdf = out.toByteArray();
        }
        DocumentParsers withoutOcr = new DocumentParsers(ParseLimits.defaults(),
                io.yinghuo.ingest.ocr.OcrEngine.unavailable("the tesseract command was not found"));
        ParsedDocument doc = withoutOcr.parse("mixed.pdf", pdf);
        assertTrue(doc.text().contains("Typed page one.") && doc.text().contains("Typed page three."), doc.text());
        assertEquals(List.of(new ParseWarning("scanned_pages_not_read", List.of("2"),
                "page 2 looks scanned and was not read: the tesseract command was not found")), doc.warnings());
    }
}
