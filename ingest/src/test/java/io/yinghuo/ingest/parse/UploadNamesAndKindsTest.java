package io.yinghuo.ingest.parse;

import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The name an upload is shown and stored under, and how its first bytes decide which parser reads it or which
 * refusal its uploader sees.
 */
class UploadNamesAndKindsTest {

    /** A time budget a machine shared by several builds cannot exceed (a cold JVM's first parse): these tests are about the text. */
    private final DocumentParsers parsers = new DocumentParsers(ParseLimits.defaults()
            .withBudgetPerMegabyte(120_000, ParseLimits.DEFAULT_BUDGET_BYTES_PER_MEGABYTE));

    // ---- names ----

    @Test
    void theDisplayNameIsTheLastPathSegmentOfWhatTheBrowserSentWithVisibleCharactersOnly() {
        assertEquals("报告.pdf", FileNames.displayName("C:\\Users\\张三\\报告.pdf"));
        assertEquals("passwd", FileNames.displayName("../../etc/passwd"));
        assertEquals("合同.docx", FileNames.displayName(" 合\u202E同.docx\u0007 "));
        assertEquals("合同.docx", FileNames.displayName("合\u200B同\uFEFF.docx"), "zero-width characters");
        assertEquals("a<b>:c?.txt", FileNames.displayName("a<b>:c?.txt"), "shown as sent; safe() is for paths");
        assertEquals("Café.txt", FileNames.displayName("Cafe\u0301.txt"), "macOS's decomposed form, composed");
        for (String nothing : new String[] {"", ".", "..", "a/", "\u200F\u202A", " \t", "\uE000"}) {
            assertNull(FileNames.displayName(nothing), nothing);
        }
        assertNull(FileNames.displayName(null));
    }

    @Test
    void aLongDisplayNameIsCutTo200CodePointsKeepingAShortExtension() {
        String exact = "长".repeat(196) + ".pdf";
        assertEquals(exact, FileNames.displayName(exact), "exactly the limit is kept whole");
        assertEquals(exact, FileNames.displayName("长".repeat(200) + ".pdf"));
        String supplementary = "\uD842\uDFB7".repeat(300) + ".pdf";
        assertEquals("\uD842\uDFB7".repeat(196) + ".pdf", FileNames.displayName(supplementary),
                "code points, never half a surrogate pair");

        String ext15 = ".abcdefghijklmno";
        assertEquals("长".repeat(200 - 16) + ext15, FileNames.displayName("长".repeat(250) + ext15));
        assertEquals("长".repeat(200), FileNames.displayName("长".repeat(250) + ext15 + "p"),
                "sixteen characters after the dot are part of the name");
        String hidden = "." + "x".repeat(205);
        assertEquals(hidden.substring(0, 200), FileNames.displayName(hidden), "a leading dot starts no extension");
        assertEquals("长".repeat(195) + ".pdf", FileNames.displayName("长".repeat(195) + " 长长长长.pdf"),
                "a cut at a space leaves none before the extension");
    }

    @Test
    void everyCharacterWindowsForbidsBecomesAnUnderscore() {
        assertEquals("a_b_c_d_e_f_g_h.txt", FileNames.safe("a<b>c:d\"e|f?g*h.txt"));
        assertEquals(FileNames.FALLBACK, FileNames.safe("???"));
        assertEquals("问_", FileNames.safe("问?"));
    }

    @Test
    void invisibleAndDisguisingCharactersAreDroppedAndTheirNeighboursKept() {
        assertEquals("报告.pdf", FileNames.safe("报\u200B告\u200C\u200D\u200E\u200F.pdf"));
        assertEquals("报告.pdf", FileNames.safe("报\u202A\u202B\u202C\u202D\u202E告.pdf"));
        assertEquals("报告.pdf", FileNames.safe("报\u2066\u2067\u2068\u2069告\uFEFF.pdf"));
        // The replacement character, private use, an unassigned code point and a lone surrogate.
        assertEquals("报告.pdf", FileNames.safe("报\uFFFD\uE000\u0378\uD800告.pdf"));
        // Just outside those ranges: a hair space, a hyphen, a narrow no-break space, a deprecated format character.
        assertEquals("a\u200Ab\u2010c\u202Fd\u2065e\u206Af.txt".replace("\u2065", ""),
                FileNames.safe("a\u200Ab\u2010c\u202Fd\u2065e\u206Af.txt"));
        assertEquals("a\u2029b.txt", FileNames.safe("a\u2029b.txt"));
    }

    @Test
    void leadingDotsAndTrailingDotsOrSpacesGo() {
        assertEquals("报告.pdf", FileNames.safe("...报告.pdf"));
        assertEquals("报告.pdf", FileNames.safe("报告.pdf. . "));
        assertEquals("a b", FileNames.safe(" a b "));
    }

    @Test
    void reservedDeviceNamesGetAPrefixWhateverTheirExtensionOrCase() {
        assertEquals("_nul.tar.gz", FileNames.safe("nul.tar.gz"));
        assertEquals("_Com9.log", FileNames.safe("Com9.log"));
        assertEquals("_AUX .txt", FileNames.safe("AUX .txt"));
        assertEquals("COM10.txt", FileNames.safe("COM10.txt"));
        assertEquals("console.txt", FileNames.safe("console.txt"));
    }

    @Test
    void aLongNameIsCutToTwoHundredBytesOfUtf8NeverInsideACharacter() {
        String exact = "a".repeat(196) + ".txt";
        assertEquals(exact, FileNames.safe(exact));
        assertEquals("a".repeat(196) + ".txt", FileNames.safe("a".repeat(197) + ".txt"));
        // Two-, three- and four-byte characters: as many whole ones as fit beside the extension.
        assertEquals("é".repeat(98) + ".txt", FileNames.safe("é".repeat(110) + ".txt"));
        assertEquals("报".repeat(65) + ".pdf", FileNames.safe("报".repeat(70) + ".pdf"));
        assertEquals("\uD842\uDFB7".repeat(49) + ".pdf", FileNames.safe("\uD842\uDFB7".repeat(60) + ".pdf"));
        // A cut that ends at a space does not leave it before the extension.
        assertEquals("a".repeat(195) + ".txt", FileNames.safe("a".repeat(195) + " bbbbbb.txt"));
    }

    @Test
    void anExtensionOfUpToFifteenCharactersSurvivesTheCutALongerOneIsPartOfTheName() {
        String ext15 = ".abcdefghijklmno";
        String kept = FileNames.safe("x".repeat(300) + ext15);
        assertTrue(kept.endsWith(ext15), kept);
        assertEquals(200, kept.getBytes(StandardCharsets.UTF_8).length);
        String ext16 = ".abcdefghijklmnop";
        assertEquals("x".repeat(200), FileNames.safe("x".repeat(300) + ext16));
    }

    @Test
    void extensionAndStemOfEdgeNames() {
        assertEquals("", FileNames.extension("报告."));
        assertEquals("报告", FileNames.stem("报告."));
        assertEquals("x", FileNames.stem(".x.pdf"));
        assertEquals("md", FileNames.extension("说明.MD"));
    }

    // ---- kinds by content ----

    private DocumentParseException refusedAsText(byte[] magic) {
        byte[] bytes = concat(magic, "then some plain words to follow the header\n".getBytes(StandardCharsets.US_ASCII));
        return assertThrows(DocumentParseException.class, () -> parsers.parse("notes.txt", bytes));
    }

    @Test
    void aTextFileThatIsReallyAnImageArchiveOrProgramIsRefusedNamingWhatItIs() {
        List<Object[]> cases = List.of(
                new Object[] {bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A), "PNG image"},
                new Object[] {bytes(0xFF, 0xD8, 0xFF, 0xE0), "JPEG image"},
                new Object[] {"GIF87a".getBytes(StandardCharsets.US_ASCII), "GIF image"},
                new Object[] {"GIF89a".getBytes(StandardCharsets.US_ASCII), "GIF image"},
                new Object[] {bytes(0x7F, 'E', 'L', 'F', 2, 1, 1, 0), "executable"},
                new Object[] {bytes(0x1F, 0x8B, 0x08, 0x00), "gzip archive"},
                new Object[] {"Rar!".getBytes(StandardCharsets.US_ASCII), "archive"},
                new Object[] {bytes('7', 'z', 0xBC, 0xAF, 0x27, 0x1C), "archive"},
                new Object[] {bytes('P', 'K', 3, 4), "zip archive or Office document"},
                new Object[] {bytes('P', 'K', 5, 6), "zip archive or Office document"},
                new Object[] {bytes('P', 'K', 7, 8), "zip archive or Office document"},
                new Object[] {bytes(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1), "legacy Microsoft Office file"});
        for (Object[] c : cases) {
            DocumentParseException e = refusedAsText((byte[]) c[0]);
            assertEquals(DocumentParseException.Reason.BINARY, e.reason(), (String) c[1]);
            assertEquals("notes.txt: looks like binary data (" + c[1] + "), not text", e.getMessage());
        }
    }

    @Test
    void textThatMerelyStartsLikeAMagicNumberIsText() throws Exception {
        for (String text : List.of("PK is the abbreviation we use", "GIF87 is not a full header",
                "Rar is a word", "7zip users", "ELF stories")) {
            assertEquals(text, parsers.parse("notes.txt", text.getBytes(StandardCharsets.US_ASCII)).text());
        }
    }

    @Test
    void aPdfBehindAFewBytesOfJunkIsStillReadAsAPdf() throws Exception {
        byte[] pdf = TestDocuments.pdf(List.of(List.of("Behind some junk.")), null, null, null);
        ParsedDocument doc = parsers.parse("mail.txt", concat("X-Junk: 1\r\n".repeat(40).getBytes(), pdf));
        assertEquals("pdf", doc.format());
        assertEquals("Behind some junk.", doc.text());
        assertEquals(List.of("the file is named .txt but its content is PDF; read as pdf"), doc.warningTexts());
    }

    @Test
    void aDocumentWithoutExtensionIsReadByItsContentAndSaysSo() throws Exception {
        byte[] pdf = TestDocuments.pdf(List.of(List.of("No extension.")), null, null, null);
        ParsedDocument doc = parsers.parse("README", pdf);
        assertEquals("No extension.", doc.text());
        assertEquals(List.of("the file is named .(none) but its content is PDF; read as pdf"), doc.warningTexts());
        // Named for what it is: no warning.
        assertEquals(List.of(), parsers.parse("a.pdf", pdf).warningTexts());
    }

    @Test
    void anOfficeDocumentUnderTheWrongOfficeExtensionIsReadAsWhatItIs() throws Exception {
        byte[] docx = OfficeParsersTest.sampleDocx();
        ParsedDocument doc = parsers.parse("表格.xlsx", docx);
        assertEquals("docx", doc.format());
        assertEquals(List.of("the file is named .xlsx but its content is DOCX; read as docx"), doc.warningTexts());
        assertTrue(doc.text().contains("本办法自发布之日起施行。"), doc.text());
    }

    @Test
    void aWorkbookOrASlideDeckUnderAnotherNameIsReadAsWhatItIs() throws Exception {
        java.io.ByteArrayOutputStream xlsx = new java.io.ByteArrayOutputStream();
        try (var workbook = new org.apache.poi.xssf.usermodel.XSSFWorkbook()) {
            var row = workbook.createSheet("名单").createRow(0);
            row.createCell(0).setCellValue("城市");
            workbook.createSheet("名单2").createRow(0).createCell(0).setCellValue("上海");
            workbook.getSheet("名单").createRow(1).createCell(0).setCellValue("北京");
            workbook.write(xlsx);
        }
        ParsedDocument sheet = parsers.parse("名单.docx", xlsx.toByteArray());
        assertEquals("xlsx", sheet.format());
        assertEquals(List.of("the file is named .docx but its content is XLSX; read as xlsx"), sheet.warningTexts());
        assertTrue(sheet.text().contains("北京"), sheet.text());

        java.io.ByteArrayOutputStream pptx = new java.io.ByteArrayOutputStream();
        try (var show = new org.apache.poi.xslf.usermodel.XMLSlideShow()) {
            show.createSlide().createTextBox().setText("幻灯片上的文字");
            show.write(pptx);
        }
        ParsedDocument slides = parsers.parse("讲稿.txt", pptx.toByteArray());
        assertEquals("pptx", slides.format());
        assertEquals(List.of("the file is named .txt but its content is PPTX; read as pptx"), slides.warningTexts());
        assertTrue(slides.text().contains("幻灯片上的文字"), slides.text());
    }

    @Test
    void aLegacyOfficeFileNamedForAnyOfficeTypeIsRefusedWithTheFormatToSaveAs() throws Exception {
        byte[] legacy = legacyOle2();
        assertEquals("old.xls: is a legacy binary Office file (.doc/.xls/.ppt), which is not supported; save it as "
                + "XLSX (.docx/.xlsx/.pptx) and upload again", refused("old.xls", legacy).getMessage());
        assertTrue(refused("old.ppt", legacy).getMessage().contains("save it as PPTX"));
        assertTrue(refused("old.pptx", legacy).getMessage().contains("save it as PPTX"));
        assertTrue(refused("old.xlsx", legacy).getMessage().contains("save it as XLSX"));
        assertTrue(refused("old.doc", legacy).getMessage().contains("save it as DOCX"));
        assertInstanceOf(UnsupportedDocumentException.class, refused("old.doc", legacy));
        // A file that only starts like one is damaged, whatever Office type it is named.
        byte[] broken = java.util.Arrays.copyOf(java.util.Arrays.copyOf(legacy, 8), 600);
        DocumentParseException damaged = refused("坏.docx", broken);
        assertEquals(DocumentParseException.Reason.CORRUPT, damaged.reason());
        assertEquals("坏.docx: is damaged and cannot be read", damaged.getMessage());
        // Under a name that is no Office type it is not text either.
        assertEquals("old.txt: looks like binary data (legacy Microsoft Office file), not text",
                refused("old.txt", legacy).getMessage());
    }

    private DocumentParseException refused(String name, byte[] bytes) {
        return assertThrows(DocumentParseException.class, () -> parsers.parse(name, bytes));
    }

    private static byte[] legacyOle2() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            fs.createDocument(new ByteArrayInputStream(new byte[] {1, 2, 3}), "WordDocument");
            fs.writeFilesystem(out);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
