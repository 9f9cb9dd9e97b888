package io.yinghuo.ingest.parse;

import org.apache.poi.xslf.usermodel.SlideLayout;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFGroupShape;
import org.apache.poi.xslf.usermodel.XSLFNotes;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFSlideLayout;
import org.apache.poi.xslf.usermodel.XSLFTable;
import org.apache.poi.xslf.usermodel.XSLFTableRow;
import org.apache.poi.xslf.usermodel.XSLFTextShape;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Headings, titles, tables, sheets, slides and notes of Office files built here with POI, as a reader sees them. */
class OfficeEdgesTest {

    /** A time budget a machine shared by several builds cannot exceed (a cold JVM's first parse): these tests are about the text. */
    private final DocumentParsers parsers = new DocumentParsers(ParseLimits.defaults()
            .withBudgetPerMegabyte(120_000, ParseLimits.DEFAULT_BUDGET_BYTES_PER_MEGABYTE));

    private static List<String> headingPaths(ParsedDocument doc) {
        return doc.sections().stream().map(ParsedDocument.Section::headingPath).toList();
    }

    // ---- DOCX ----

    private static XWPFStyles styles(XWPFDocument doc) {
        return doc.createStyles();
    }

    private static XWPFStyle style(XWPFStyles styles, String id, String name, String basedOn, Integer outline) {
        CTStyle ct = CTStyle.Factory.newInstance();
        ct.setStyleId(id);
        ct.setType(STStyleType.PARAGRAPH);
        if (name != null) {
            ct.addNewName().setVal(name);
        }
        if (basedOn != null) {
            ct.addNewBasedOn().setVal(basedOn);
        }
        if (outline != null) {
            ct.addNewPPr().addNewOutlineLvl().setVal(BigInteger.valueOf(outline));
        }
        XWPFStyle style = new XWPFStyle(ct);
        styles.addStyle(style);
        return style;
    }

    private static XWPFParagraph paragraph(XWPFDocument doc, String style, String text) {
        XWPFParagraph p = doc.createParagraph();
        if (style != null) {
            p.setStyle(style);
        }
        p.createRun().setText(text);
        return p;
    }

    /** Sets the paragraph's own outline level (0 = heading 1, 9 = body text), beside its style. */
    private static void outline(XWPFParagraph p, int level) {
        (p.getCTP().isSetPPr() ? p.getCTP().getPPr() : p.getCTP().addNewPPr()).addNewOutlineLvl()
                .setVal(BigInteger.valueOf(level));
    }

    private static byte[] bytes(XWPFDocument doc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.write(out);
        doc.close();
        return out.toByteArray();
    }

    @Test
    void headingLevelsComeFromLocalisedNamesStyleIdsOutlinesAndTheStylesTheyAreBasedOn() throws Exception {
        XWPFDocument doc = new XWPFDocument();
        XWPFStyles styles = styles(doc);
        style(styles, "a1", "Überschrift 1", null, null);
        style(styles, "a2", "titre 2", null, null);
        style(styles, "Heading3", null, null, null); // no name: the id says it
        style(styles, "custom", "公司标题样式", null, 3); // outline level 3 = heading 4
        style(styles, "derived", "我的章节", "a2", null); // based on "titre 2"
        style(styles, "plain", "正文样式", "body", null);
        style(styles, "body", "Body Text", null, 9); // outline level 9 = body text
        paragraph(doc, "a1", "第一章");
        paragraph(doc, null, "甲。");
        paragraph(doc, "a2", "第一节");
        paragraph(doc, null, "乙。");
        paragraph(doc, "Heading3", "第一条");
        paragraph(doc, null, "丙。");
        paragraph(doc, "custom", "第一款");
        paragraph(doc, null, "丁。");
        paragraph(doc, "derived", "第二节");
        paragraph(doc, "plain", "正文一段。");
        paragraph(doc, "標題 3", "繁體標題"); // a style id that names no style: read as a name
        paragraph(doc, null, "最后。");
        ParsedDocument parsed = parsers.parse("a.docx", bytes(doc));
        assertEquals(List.of("第一章", "第一章 > 第一节", "第一章 > 第一节 > 第一条", "第一章 > 第一节 > 第一条 > 第一款",
                "第一章 > 第二节", "第一章 > 第二节 > 繁體標題"), headingPaths(parsed));
        assertEquals("第一章\n甲。\n第一节\n乙。\n第一条\n丙。\n第一款\n丁。\n第二节\n正文一段。\n繁體標題\n最后。",
                parsed.text());
    }

    @Test
    void aStyleChainThatLoopsIsBodyText() throws Exception {
        XWPFDocument doc = new XWPFDocument();
        XWPFStyles styles = styles(doc);
        style(styles, "a", "样式甲", "b", null);
        style(styles, "b", "样式乙", "a", null);
        paragraph(doc, "a", "循环样式的段落");
        ParsedDocument parsed = parsers.parse("a.docx", bytes(doc));
        assertEquals("循环样式的段落", parsed.text());
        assertEquals(List.of(), headingPaths(parsed));
    }

    @Test
    void aParagraphsOwnOutlineLevelWinsOverItsStyle() throws Exception {
        XWPFDocument doc = new XWPFDocument();
        XWPFStyles styles = styles(doc);
        style(styles, "Heading1", "heading 1", null, null);
        paragraph(doc, "Heading1", "章");
        paragraph(doc, null, "正文。");
        XWPFParagraph third = paragraph(doc, "Heading1", "看似一级的三级标题");
        outline(third, 2);
        paragraph(doc, null, "正文。");
        XWPFParagraph deep = paragraph(doc, null, "第九级");
        outline(deep, 8);
        paragraph(doc, null, "正文。");
        XWPFParagraph body = paragraph(doc, null, "正文级别");
        outline(body, 9);
        ParsedDocument parsed = parsers.parse("a.docx", bytes(doc));
        assertEquals(List.of("章", "章 > 看似一级的三级标题", "章 > 看似一级的三级标题 > 第九级"), headingPaths(parsed));
        assertEquals("章\n正文。\n看似一级的三级标题\n正文。\n第九级\n正文。\n正文级别", parsed.text());
    }

    @Test
    void theTitleIsTheMetadataTitleElseTheTitleStyleElseTheFirstHeadingElseTheFileName() throws Exception {
        XWPFDocument withMetadata = new XWPFDocument();
        style(styles(withMetadata), "Title", "Title", null, null);
        paragraph(withMetadata, "Title", "封面标题");
        withMetadata.getProperties().getCoreProperties().setTitle("元数据标题");
        assertEquals("元数据标题", parsers.parse("a.docx", bytes(withMetadata)).title());

        XWPFDocument titled = new XWPFDocument();
        style(styles(titled), "t", "标题", null, null);
        paragraph(titled, null, "");
        paragraph(titled, "t", "封面\n标题");
        paragraph(titled, "t", "副标题");
        ParsedDocument parsed = parsers.parse("a.docx", bytes(titled));
        assertEquals("封面标题", parsed.title());
        assertEquals("封面\n标题\n副标题", parsed.text());
        assertEquals(List.of(), headingPaths(parsed));

        XWPFDocument blankMetadata = new XWPFDocument();
        style(styles(blankMetadata), "Title", "Title", null, null);
        paragraph(blankMetadata, "Title", "封面标题");
        blankMetadata.getProperties().getCoreProperties().setTitle("  ");
        assertEquals("封面标题", parsers.parse("a.docx", bytes(blankMetadata)).title());

        XWPFDocument headed = new XWPFDocument();
        style(styles(headed), "h", "heading 2", null, null);
        paragraph(headed, null, "前言");
        paragraph(headed, "h", "概述");
        assertEquals("概述", parsers.parse("a.docx", bytes(headed)).title());

        XWPFDocument plain = new XWPFDocument();
        paragraph(plain, null, "只有正文。");
        assertEquals("会议纪要", parsers.parse("会议纪要.docx", bytes(plain)).title());
    }

    @Test
    void tableRowsNameTheirColumnsUnlessTheirWidthDiffers() throws Exception {
        XWPFDocument doc = new XWPFDocument();
        paragraph(doc, null, "表格前。");
        XWPFTable table = doc.createTable(5, 3);
        String[][] cells = {{"项目", "", "备注"}, {"", "", ""}, {"甲", "一", ""}, {"乙", "二", "有\n换行"},
                {"丙", "三", "无"}};
        for (int r = 0; r < cells.length; r++) {
            for (int c = 0; c < 3; c++) {
                table.getRow(r).getCell(c).setText(cells[r][c]);
            }
        }
        table.getRow(4).getCtRow().removeTc(2); // a merged row: two cells
        ParsedDocument parsed = parsers.parse("a.docx", bytes(doc));
        assertEquals("表格前。\n项目\t\t备注\n项目: 甲; 一\n项目: 乙; 二; 备注: 有换行\n丙\t三", parsed.text());
    }

    // ---- XLSX ----

    @Test
    void hiddenSheetsAreSkippedAndEachSheetIsASectionOfHeaderValueLines() throws Exception {
        byte[] bytes;
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet first = workbook.createSheet("价格");
            first.createRow(0); // an empty row before the header
            XSSFRow header = first.createRow(2);
            header.createCell(1).setCellValue("商品");
            header.createCell(2).setCellValue("单价");
            XSSFRow row = first.createRow(3);
            row.createCell(1).setCellValue("苹果");
            row.createCell(2).setCellFormula("2+3");
            row.createCell(3).setCellValue("多出的一列");
            XSSFRow unnamed = first.createRow(5);
            unnamed.createCell(0).setCellValue("无名列的值");
            unnamed.createCell(1).setCellValue("梨");
            XSSFRow sparse = first.createRow(4);
            sparse.createCell(2).setCellValue("  七\n元 ");
            workbook.createSheet("草稿").createRow(0).createCell(0).setCellValue("不该出现");
            workbook.setSheetHidden(1, true);
            XSSFSheet third = workbook.createSheet("备注");
            third.createRow(0).createCell(0).setCellValue("说明");
            workbook.getProperties().getCoreProperties().setTitle("价目表");
            org.apache.poi.xssf.usermodel.XSSFFormulaEvaluator.evaluateAllFormulaCells(workbook);
            workbook.write(out);
            bytes = out.toByteArray();
        }
        ParsedDocument doc = parsers.parse("a.xlsx", bytes);
        assertEquals("价格\n商品\t单价\n商品: 苹果; 单价: 5; 多出的一列\n单价: 七元\n无名列的值; 商品: 梨\n备注\n说明", doc.text());
        assertEquals(List.of("价格", "备注"), headingPaths(doc));
        assertEquals("价目表", doc.title());
    }

    // ---- PPTX ----

    @Test
    void slideTitlesAreHeadingsTablesGroupsAndNotesAreKeptAndTheTitleBoxIsNotRepeated() throws Exception {
        byte[] bytes;
        try (XMLSlideShow show = new XMLSlideShow(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSLFSlideLayout layout = show.getSlideMasters().get(0).getLayout(SlideLayout.TITLE_AND_CONTENT);
            XSLFSlide first = show.createSlide(layout);
            first.getPlaceholder(0).setText("年度总结");
            first.getPlaceholder(1).setText("收入增长了一倍。");
            XSLFGroupShape group = first.createGroup();
            group.createTextBox().setText("组合里的文字");
            XSLFNotes notes = show.getNotesSlide(first);
            for (XSLFTextShape shape : notes.getPlaceholders()) {
                if (shape.getTextType() != null && shape.getTextType().name().equals("BODY")) {
                    shape.setText("讲者备注");
                }
            }
            XSLFSlide second = show.createSlide();
            XSLFTable table = second.createTable();
            for (String[] cells : new String[][] {{"季度", "收入"}, {"一季度", "10\n亿"}}) {
                XSLFTableRow row = table.addRow();
                for (String cell : cells) {
                    row.addCell().setText(cell);
                }
            }
            show.getProperties().getCoreProperties().setTitle(null);
            show.write(out);
            bytes = out.toByteArray();
        }
        ParsedDocument doc = parsers.parse("汇报.pptx", bytes);
        assertEquals("年度总结\n收入增长了一倍。\n组合里的文字\n讲者备注\n季度\t收入\n一季度\t10 亿", doc.text());
        assertEquals("年度总结", doc.title());
        assertEquals(List.of(new ParsedDocument.PageSpan(1, 0, 25), new ParsedDocument.PageSpan(2, 26, 40)),
                doc.pages());
        assertEquals(List.of("年度总结"), headingPaths(doc));
    }

    @Test
    void aDamagedOfficeFileIsRefusedByFormatName() {
        byte[] notAZip = "PK\u0003\u0004 but nothing else that a zip needs".getBytes();
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> parsers.parse("坏.pptx", notAZip));
        assertEquals(DocumentParseException.Reason.CORRUPT, e.reason());
        assertEquals("坏.pptx: is not a valid PPTX file (the zip archive cannot be read)", e.getMessage());
    }
}
