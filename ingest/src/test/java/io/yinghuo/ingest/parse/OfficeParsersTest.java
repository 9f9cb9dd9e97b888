package io.yinghuo.ingest.parse;

import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.chunk.Chunk;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.junit.jupiter.api.Test;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfficeParsersTest {

    private final DocumentParsers parsers = DocumentParsers.withDefaults();

    static byte[] sampleDocx() throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XWPFStyles styles = doc.createStyles();
            addStyle(styles, "Title", "Title");
            addStyle(styles, "Heading1", "heading 1");
            addStyle(styles, "2", "标题 2"); // as WPS writes it: numeric id, localised name
            paragraph(doc, "Title", "数据安全管理办法");
            paragraph(doc, "Heading1", "第一章 总则");
            paragraph(doc, null, "为了规范数据处理活动，保障数据安全，制定本办法。");
            paragraph(doc, "2", "第一节 适用范围");
            paragraph(doc, null, "本办法适用于公司内部的数据处理活动。");
            XWPFTable table = doc.createTable(2, 2);
            table.getRow(0).getCell(0).setText("级别");
            table.getRow(0).getCell(1).setText("说明");
            table.getRow(1).getCell(0).setText("核心");
            table.getRow(1).getCell(1).setText("严格保护");
            XWPFParagraph outlined = paragraph(doc, null, "第二章 附则");
            outlined.getCTP().addNewPPr().addNewOutlineLvl().setVal(BigInteger.ZERO);
            paragraph(doc, null, "本办法自发布之日起施行。");
            doc.write(out);
            return out.toByteArray();
        }
    }

    private static void addStyle(XWPFStyles styles, String id, String name) {
        CTStyle style = CTStyle.Factory.newInstance();
        style.setStyleId(id);
        style.setType(STStyleType.PARAGRAPH);
        style.addNewName().setVal(name);
        styles.addStyle(new XWPFStyle(style));
    }

    private static XWPFParagraph paragraph(XWPFDocument doc, String style, String text) {
        XWPFParagraph p = doc.createParagraph();
        if (style != null) {
            p.setStyle(style);
        }
        p.createRun().setText(text);
        return p;
    }

    @Test
    void docxHeadingsTitleAndTables() throws Exception {
        ParsedDocument doc = parsers.parse("办法.docx", sampleDocx());
        assertEquals("docx", doc.format());
        assertEquals("数据安全管理办法", doc.title());
        assertEquals(String.join("\n", "数据安全管理办法", "第一章 总则", "为了规范数据处理活动，保障数据安全，制定本办法。",
                "第一节 适用范围", "本办法适用于公司内部的数据处理活动。", "级别\t说明", "级别: 核心; 说明: 严格保护", "第二章 附则",
                "本办法自发布之日起施行。"), doc.text());
        assertEquals(List.of("第一章 总则", "第一章 总则 > 第一节 适用范围", "第二章 附则"),
                doc.sections().stream().map(ParsedDocument.Section::headingPath).toList());
        ParsedDocument.Section sub = doc.sections().get(1);
        assertEquals("第一节 适用范围\n本办法适用于公司内部的数据处理活动。\n级别\t说明\n级别: 核心; 说明: 严格保护",
                doc.text().substring(sub.start(), sub.end()));

        List<Chunk> chunks = new ChineseChunker().chunk(doc);
        Chunk table = chunks.stream().filter(c -> c.text().contains("严格保护")).findFirst().orElseThrow();
        assertEquals("第一章 总则 > 第一节 适用范围", table.headingPath());
        assertEquals("", chunks.get(0).headingPath());
    }

    @Test
    void docxZipBombIsRefused() throws Exception {
        byte[] bomb = withExtraEntry(sampleDocx(), "word/media/padding.bin", 64 << 20);
        // Over the expanded-size limit ...
        DocumentParsers small = new DocumentParsers(ParseLimits.defaults().withMaxExpandedBytes(16L << 20));
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> small.parse("a.docx", bomb));
        assertEquals(DocumentParseException.Reason.ZIP_BOMB, e.reason());
        assertEquals("a.docx: expands to more than 16 MB, refusing (zip bomb?)", e.getMessage());
        // ... and, within the default 512 MB, by its compression ratio.
        DocumentParseException ratio = assertThrows(DocumentParseException.class, () -> parsers.parse("a.docx", bomb));
        assertEquals(DocumentParseException.Reason.ZIP_BOMB, ratio.reason());
        assertTrue(ratio.getMessage().contains("zip bomb?"), ratio.getMessage());
    }

    @Test
    void encryptedAndLegacyOfficeFilesGetClearErrors() throws Exception {
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            Encryptor encryptor = new EncryptionInfo(EncryptionMode.standard).getEncryptor();
            encryptor.confirmPassword("secret");
            try (OutputStream os = encryptor.getDataStream(fs)) {
                os.write(sampleDocx());
            }
            fs.writeFilesystem(encrypted);
        }
        DocumentParseException e = assertThrows(DocumentParseException.class,
                () -> parsers.parse("机密.docx", encrypted.toByteArray()));
        assertEquals(DocumentParseException.Reason.ENCRYPTED, e.reason());
        assertEquals("机密.docx: the document is encrypted (password protected)", e.getMessage());

        ByteArrayOutputStream legacy = new ByteArrayOutputStream();
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            fs.createDocument(new ByteArrayInputStream(new byte[600]), "WordDocument");
            fs.writeFilesystem(legacy);
        }
        DocumentParseException old = assertThrows(DocumentParseException.class,
                () -> parsers.parse("old.doc", legacy.toByteArray()));
        assertInstanceOf(UnsupportedDocumentException.class, old);
        assertTrue(old.getMessage().startsWith("old.doc: is a legacy binary Office file"), old.getMessage());

        DocumentParseException notZip = assertThrows(DocumentParseException.class,
                () -> parsers.parse("broken.docx", "not a zip at all".getBytes()));
        assertEquals(DocumentParseException.Reason.CORRUPT, notZip.reason());
    }

    @Test
    void xlsxRowsBecomeHeaderValueLines() throws Exception {
        byte[] bytes;
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet sheet = workbook.createSheet("员工");
            XSSFRow header = sheet.createRow(0);
            header.createCell(0).setCellValue("姓名");
            header.createCell(1).setCellValue("城市");
            header.createCell(2).setCellValue("年龄");
            XSSFRow row = sheet.createRow(1);
            row.createCell(0).setCellValue("张三");
            row.createCell(1).setCellValue("北京");
            row.createCell(2).setCellValue(30);
            workbook.write(out);
            bytes = out.toByteArray();
        }
        ParsedDocument doc = parsers.parse("名单.xlsx", bytes);
        assertEquals("员工\n姓名\t城市\t年龄\n姓名: 张三; 城市: 北京; 年龄: 30", doc.text());
        assertEquals("员工", doc.sections().get(0).headingPath());
    }

    @Test
    void pptxSlidesArePages() throws Exception {
        byte[] bytes;
        try (XMLSlideShow show = new XMLSlideShow(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String text : List.of("第一页的内容。", "第二页的内容。")) {
                XSLFSlide slide = show.createSlide();
                XSLFTextBox box = slide.createTextBox();
                box.setText(text);
            }
            show.write(out);
            bytes = out.toByteArray();
        }
        ParsedDocument doc = parsers.parse("slides.pptx", bytes);
        assertEquals("第一页的内容。\n第二页的内容。", doc.text());
        assertEquals(List.of(new ParsedDocument.PageSpan(1, 0, 7), new ParsedDocument.PageSpan(2, 8, 15)),
                doc.pages());
    }

    /** A copy of a zip with one more entry of {@code size} zero bytes (compresses about 1000:1). */
    static byte[] withExtraEntry(byte[] zip, String name, int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
             ZipOutputStream copy = new ZipOutputStream(out)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                copy.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(copy);
                copy.closeEntry();
            }
            copy.putNextEntry(new ZipEntry(name));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < size; i += zeros.length) {
                copy.write(zeros, 0, Math.min(zeros.length, size - i));
            }
            copy.closeEntry();
        }
        return out.toByteArray();
    }
}
