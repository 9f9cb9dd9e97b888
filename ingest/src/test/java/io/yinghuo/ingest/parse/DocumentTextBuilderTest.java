package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The text, page spans and sections every parser's output is assembled into: what a search result's page number,
 * heading path and highlight offsets come from.
 */
class DocumentTextBuilderTest {

    private static DocumentTextBuilder builder() {
        return new DocumentTextBuilder("说明.pdf", 1_000);
    }

    @Test
    void linesOfABlockAreStrippedBlankOnesDroppedAndBlocksJoinedByOneLineBreak() throws Exception {
        DocumentTextBuilder out = builder();
        out.paragraph("  第一行  \n\n \t \n第二行\n");
        out.paragraph("");
        out.paragraph("\n第三行");
        assertEquals("第一行\n第二行\n第三行", out.build(null, "text").text());
    }

    @Test
    void aSectionRunsFromItsHeadingToTheNextAndAHeadingWithoutBodyJoinsTheNext() throws Exception {
        DocumentTextBuilder out = builder();
        out.paragraph("前言");
        out.heading(1, "第一章");
        out.heading(2, "第一节");
        out.paragraph("正文。");
        out.heading(2, "第二节");
        out.paragraph("更多。");
        out.heading(1, "  第二章\n总则  ");
        ParsedDocument doc = out.build(null, "markdown");
        assertEquals("前言\n第一章\n第一节\n正文。\n第二节\n更多。\n第二章总则", doc.text());
        assertEquals(List.of(new ParsedDocument.Section("第一章 > 第一节", 3, 14),
                new ParsedDocument.Section("第一章 > 第二节", 15, 22),
                new ParsedDocument.Section("第二章总则", 23, 28)), doc.sections());
        assertEquals("第一章", out.firstHeading());
    }

    @Test
    void aBlankHeadingIsIgnored() throws Exception {
        DocumentTextBuilder out = builder();
        out.heading(1, " \u3000\u00A0");
        out.paragraph("正文");
        ParsedDocument doc = out.build(null, "html");
        assertEquals("正文", doc.text());
        assertEquals(List.of(), doc.sections());
        assertEquals(null, out.firstHeading());
    }

    @Test
    void headingsOnDifferentPagesEachOpenASection() throws Exception {
        DocumentTextBuilder out = builder();
        out.startPage(1);
        out.heading(1, "第一章");
        out.endPage();
        out.startPage(2);
        out.heading(2, "第一节");
        out.paragraph("正文");
        out.endPage();
        ParsedDocument doc = out.build(null, "pdf");
        assertEquals(List.of(new ParsedDocument.Section("第一章", 0, 3),
                new ParsedDocument.Section("第一章 > 第一节", 4, 10)), doc.sections());
    }

    @Test
    void pageSpansStartAtTheirFirstLineAndAnEmptyPageIsEmpty() throws Exception {
        DocumentTextBuilder out = builder();
        out.startPage(1);
        out.paragraph("第一页");
        out.paragraph("一");
        out.endPage();
        out.startPage(2);
        out.endPage();
        out.startPage(3);
        out.paragraph("第三页\n还是第三页");
        out.endPage();
        ParsedDocument doc = out.build(null, "pdf");
        // Page 1's span starts at its first line, at offset 0, not at its second.
        assertEquals(List.of(new ParsedDocument.PageSpan(1, 0, 5), new ParsedDocument.PageSpan(2, 5, 5),
                new ParsedDocument.PageSpan(3, 6, 15)), doc.pages());
        assertEquals("第三页\n还是第三页", doc.text().substring(6, 15));
    }

    @Test
    void withoutPagesTheWholeTextIsPageOne() throws Exception {
        DocumentTextBuilder out = builder();
        out.paragraph("一段");
        out.paragraph("两段");
        assertEquals(List.of(new ParsedDocument.PageSpan(1, 0, 5)), out.build(null, "text").pages());
    }

    @Test
    void anOcrLineIsPlacedWhereItStartsAndMustBeOneStrippedLine() throws Exception {
        DocumentTextBuilder out = builder();
        assertEquals(-1, out.line(""));
        assertEquals(0, out.line("识别的第一行"));
        assertEquals(7, out.line("第二行"));
        assertEquals(10, out.length());
        assertThrows(IllegalArgumentException.class, () -> out.line("两\n行"));
        assertThrows(IllegalArgumentException.class, () -> out.line(" 有空格"));
        assertThrows(IllegalArgumentException.class, () -> out.line("有空格 "));
        assertEquals("识别的第一行\n第二行", out.build(null, "png").text());
    }

    @Test
    void theTitleIsStrippedAndABlankOneGivesWayToTheFileName() throws Exception {
        DocumentTextBuilder out = builder();
        out.paragraph("x");
        assertEquals("标题", out.build("  标题 ", "pdf").title());
        assertEquals("说明", out.build(" ", "pdf").title());
        assertEquals("说明", out.build(null, "pdf").title());
    }

    @Test
    void nothingButWhitespaceIsNoTextWithTheParsersHint() {
        DocumentTextBuilder out = builder();
        out.paragraph(" \n ");
        DocumentParseException plain = assertThrows(DocumentParseException.class, () -> out.build(null, "pdf"));
        assertEquals(DocumentParseException.Reason.NO_TEXT, plain.reason());
        assertEquals("说明.pdf: no text found in the document", plain.getMessage());
        DocumentParseException hinted = assertThrows(DocumentParseException.class,
                () -> out.build(null, "pdf", "OCR found none"));
        assertEquals("说明.pdf: no text found in the document (OCR found none)", hinted.getMessage());
    }

    @Test
    void theCharacterLimitCountsTheLineBreaksAndAllowsExactlyTheLimit() throws Exception {
        DocumentTextBuilder out = new DocumentTextBuilder("a.txt", 10);
        out.paragraph("12345");
        out.paragraph("1234"); // 5 + 1 + 4 = 10
        assertEquals(10, out.build(null, "text").text().length());
        assertThrows(TextLimitExceededException.class, () -> out.paragraph("x"));
        DocumentTextBuilder heading = new DocumentTextBuilder("a.md", 3);
        assertThrows(TextLimitExceededException.class, () -> heading.heading(1, "四个字符"));
    }

    @Test
    void whitespaceInHeadingsAndCellsCollapsesAndVanishesInsideChineseLineWraps() {
        assertEquals("数据处理", DocumentTextBuilder.collapseWhitespace("数据\r\n处理"));
        assertEquals("数据 处理", DocumentTextBuilder.collapseWhitespace("数据\u3000处理"));
        assertEquals("数据 处理", DocumentTextBuilder.collapseWhitespace("数据\u00A0 处理"));
        assertEquals("a b", DocumentTextBuilder.collapseWhitespace("\u3000 a \t b \n"));
        assertEquals("数据 处理", DocumentTextBuilder.collapseWhitespace("数据 \n处理".replace("\n", "")));
        // The line break before a space run still counts: "数据\n 处理" joins.
        assertEquals("数据处理", DocumentTextBuilder.collapseWhitespace("数据\n 处理"));
        assertEquals("数据 x 处理", DocumentTextBuilder.collapseWhitespace("数据\nx\n处理"));
    }
}
