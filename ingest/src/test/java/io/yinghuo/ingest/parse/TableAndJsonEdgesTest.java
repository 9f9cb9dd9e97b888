package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV, JSON and plain-text uploads at their edges: the text that gets indexed and the messages users read. */
class TableAndJsonEdgesTest {

    private final DocumentParsers parsers = DocumentParsers.withDefaults();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String csv(String content) throws Exception {
        ParsedDocument doc = parsers.parse("t.csv", utf8(content));
        assertEquals("csv", doc.format());
        return doc.text();
    }

    @Test
    void aSingleColumnHasNoHeaderPairs() throws Exception {
        assertEquals("名称\n苹果\n梨", csv("名称\n苹果\n梨\n"));
    }

    @Test
    void aRowWiderThanTheHeaderKeepsItsExtraValue() throws Exception {
        assertEquals("名称: 苹果; 数量: 3; 多余的备注", csv("名称,数量\n苹果,3,多余的备注\n"));
    }

    @Test
    void theLastRowIsKeptWithoutAFinalLineBreakEvenWhenItEndsQuoted() throws Exception {
        assertEquals("名称: 苹果; 数量: 3", csv("名称,数量\n苹果,3"));
        assertEquals("名称: 苹果; 描述: 红色", csv("名称,描述\n苹果,\"红色\""));
    }

    /** A column no row fills would otherwise vanish from the index: its name comes as a header line of its own. */
    @Test
    void aHeaderColumnThatNoRowFillsIsKeptAsAHeaderLine() throws Exception {
        assertEquals("名称: 苹果; 数量: 3\n名称: 梨; 数量: 5\n名称; 数量; 备注", csv("名称,数量,备注\n苹果,3,\n梨,5,\n"));
    }

    @Test
    void aQuoteInsideAFieldIsAnInchMarkNotAQuotedField() throws Exception {
        assertEquals("型号: A1; 尺寸: 15\" 显示器\n型号: B2; 尺寸: 17\" 显示器",
                csv("型号,尺寸\nA1,15\" 显示器\nB2,17\" 显示器\n"));
    }

    @Test
    void leadingBlankAndEmptyRowsDoNotHideTheHeaderOrTheDelimiter() throws Exception {
        assertEquals("姓名: 张三; 城市: 北京", csv("\n;;\n姓名;城市\n张三;北京\n"));
    }

    @Test
    void theDelimiterThatSplitsMostCellsWins() throws Exception {
        assertEquals("姓名: 张三; 城市: 北京; 备注,说明: 读书,跑步", csv("姓名|城市|备注,说明\n张三|北京|读书,跑步\n"));
        // Commas inside quotes do not count: this file is separated by semicolons.
        assertEquals("名称,中文: 苹果,红; 描述: 甜", csv("\"名称,中文\";描述\n\"苹果,红\";甜\n"));
    }

    /**
     * Spreadsheets exported with a title row above the table: the title has no delimiter, so judging the delimiter by
     * the first line found none and left every row one cell ("地区;销售额;同比" as a single value, no column names).
     * The delimiter comes from the rows, the title stays a line of its own and the header names the values.
     */
    @Test
    void aTitleLineAboveASemicolonTableKeepsTheTableSplitIntoNamedValues() throws Exception {
        assertEquals("2024年销售报表\n地区: 华东; 销售额: 120; 同比: 5%\n地区: 华南; 销售额: 98; 同比: -2%",
                csv("2024年销售报表\n地区;销售额;同比\n华东;120;5%\n华南;98;-2%\n"));
        // Excel writes the title row padded with empty cells: still a title, not the header
        assertEquals("2024年销售报表\n地区: 华东; 销售额: 120\n地区: 华南; 销售额: 98",
                csv("2024年销售报表;\n地区;销售额\n华东;120\n华南;98\n"));
        assertEquals("销售报表\n单位：万元\n地区: 华东; 销售额: 120\n地区: 华南; 销售额: 98",
                csv("销售报表\n单位：万元\n地区,销售额\n华东,120\n华南,98\n"));
    }

    @Test
    void invalidBytesAreReportedForTablesAndJson() throws Exception {
        byte[] good = utf8("名称,描述\n" + "苹果,很甜的水果\n梨,很脆的水果\n".repeat(10));
        byte[] bad = new byte[good.length + 1];
        int at = good.length - 3;
        System.arraycopy(good, 0, bad, 0, at);
        bad[at] = (byte) 0xFF;
        System.arraycopy(good, at, bad, at + 1, good.length - at);
        ParsedDocument doc = parsers.parse("bad.csv", bad);
        assertEquals(List.of("invalid_bytes"), doc.warnings().stream().map(ParseWarning::code).toList());
        byte[] json = utf8("{\"名称\": \"" + "苹果很甜，梨很脆。".repeat(10) + "\"}");
        byte[] badJson = new byte[json.length + 1];
        System.arraycopy(json, 0, badJson, 0, 12);
        badJson[12] = (byte) 0xFF;
        System.arraycopy(json, 12, badJson, 13, json.length - 12);
        ParsedDocument jsonDoc = parsers.parse("bad.json", badJson);
        assertEquals("json", jsonDoc.format());
        assertEquals(List.of("invalid_bytes"), jsonDoc.warnings().stream().map(ParseWarning::code).toList());
    }

    @Test
    void aBrokenJsonLinesRecordIsNamedByItsLine() throws Exception {
        DocumentParseException lines = assertThrows(DocumentParseException.class,
                () -> parsers.parse("rows.jsonl", utf8("{\"q\": \"问题一\"}\n{\"q\": \n{\"q\": \"问题三\"}\n")));
        assertTrue(lines.getMessage().contains("is not valid JSON on line 2 ("), lines.getMessage());
        DocumentParseException whole = assertThrows(DocumentParseException.class,
                () -> parsers.parse("bad.json", utf8("{\"a\": ")));
        assertFalse(whole.getMessage().contains("on line"), whole.getMessage());
    }

    @Test
    void aChapterLineIndentedWithSpacesOpensItsSectionAtTheChapterName() throws Exception {
        String text = "  第一章 总则\n第一条 内容。\n\u3000第二章 附则\n第二条 内容。";
        ParsedDocument doc = parsers.parse("办法.txt", utf8(text));
        assertEquals("text", doc.format());
        assertEquals(List.of(text.indexOf("第一章"), text.indexOf("第二章")),
                doc.sections().stream().map(ParsedDocument.Section::start).toList());
        assertEquals(List.of("第一章 总则", "第二章 附则"),
                doc.sections().stream().map(ParsedDocument.Section::headingPath).toList());
    }

    @Test
    void plainTextOfExactlyTheCharacterLimitIsAcceptedAndOneMoreIsRefused() throws Exception {
        PlainTextParser parser = new PlainTextParser(ParseLimits.defaults().withMaxCharacters(10));
        assertEquals("一二三四五六七八九十", parser.parse("ten.txt", utf8("一二三四五六七八九十")).text());
        assertThrows(TextLimitExceededException.class, () -> parser.parse("eleven.txt", utf8("一二三四五六七八九十一")));
    }
}
