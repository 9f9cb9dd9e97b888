package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What text, title and sections come out of the Markdown and HTML a user uploads, one construct at a time; and
 * which nesting the Markdown depth limit refuses (small files: the hostile sizes are in {@code HostileUploadsTest}).
 */
class MarkupEdgesTest {

    /** A time budget a machine shared by several builds cannot exceed (a cold JVM's first parse): these tests are about the text. */
    private final DocumentParsers parsers = new DocumentParsers(ParseLimits.defaults()
            .withBudgetPerMegabyte(120_000, ParseLimits.DEFAULT_BUDGET_BYTES_PER_MEGABYTE));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String md(String markdown) throws DocumentParseException {
        return parsers.parse("a.md", utf8(markdown)).text();
    }

    private String html(String body) throws DocumentParseException {
        return parsers.parse("a.html", utf8("<html><body>" + body + "</body></html>")).text();
    }

    private static List<String> headingPaths(ParsedDocument doc) {
        return doc.sections().stream().map(ParsedDocument.Section::headingPath).toList();
    }

    // ---- Markdown ----

    @Test
    void anOrderedListKeepsItsOwnNumbersAndABulletListItsDash() throws Exception {
        assertEquals("3. 准备材料\n4. 提交申请\n5. 等待审核", md("3. 准备材料\n4. 提交申请\n5. 等待审核\n"));
        assertEquals("1. 甲\n2. 乙", md("1) 甲\n2) 乙\n"));
        assertEquals("- 苹果\n- 香蕉", md("* 苹果\n+ 香蕉\n"));
    }

    @Test
    void aListItemOfSeveralParagraphsCarriesItsMarkerOnlyOnTheFirst() throws Exception {
        assertEquals("- 第一段\n第二段\n- 下一项", md("- 第一段\n\n  第二段\n- 下一项\n"));
        assertEquals("1. 外层\n- 内层一\n- 内层二\n2. 外层二", md("1. 外层\n   - 内层一\n   - 内层二\n2. 外层二\n"));
    }

    @Test
    void quotesCodeAndHtmlBlocksKeepTheirTextAndRulesDisappear() throws Exception {
        assertEquals("引用的话\n接着引用", md("> 引用的话\n>\n> 接着引用\n"));
        assertEquals("前文\n后文", md("前文\n\n---\n\n后文\n"));
        assertEquals("说明\nmvn -B verify\ncd ingest", md("说明\n\n    mvn -B verify\n    cd ingest\n"));
        assertEquals("块里的字", md("<div>\n<b>块</b>里的字\n</div>\n"));
        // Inline HTML tags go, the text between them stays.
        assertEquals("文字里面", md("文字<span class=\"x\">里</span>面\n"));
        assertEquals("看图片说明", md("看![图片说明](a.png)\n"));
    }

    @Test
    void aHardLineBreakStaysWhileSoftBreaksJoinLikeWrappedLines() throws Exception {
        assertEquals("第一行\n第二行", md("第一行  \n第二行\n"));
        assertEquals("第一行\n第二行", md("第一行\\\n第二行\n"));
        assertEquals("第一行第二行", md("第一行\n第二行\n"));
        assertEquals("first line second", md("first line\nsecond\n"));
        // A word hyphenated at the line end is one word again; a number range keeps its hyphen.
        assertEquals("information retrieval", md("infor-\nmation retrieval\n"));
        assertEquals("2020- 2021", md("2020-\n2021\n"));
        assertEquals("Anti- Virus", md("Anti-\nVirus\n"));
    }

    @Test
    void wrappedLinesJoinWithoutASpaceBetweenAnyChineseOrJapaneseCharacters() throws Exception {
        assertEquals("ひらがなとカタカナ", md("ひらがなと\nカタカナ\n"));
        assertEquals("全角，标点", md("全角，\n标点\n"));
        assertEquals("㐀字", md("㐀\n字\n")); // Extension A
        assertEquals("\uD840\uDC00字", md("\uD840\uDC00\n字\n")); // Extension B, a surrogate pair
        assertEquals("\uF900字", md("\uF900\n字\n")); // a CJK compatibility ideograph
        assertEquals("中文 English", md("中文\nEnglish\n"));
    }

    @Test
    void theTitleIsTheFirstTopLevelHeadingElseTheFirstHeadingElseTheFileName() throws Exception {
        assertEquals("正式标题", parsers.parse("a.md", utf8("## 概述\n\n正文\n\n# 正式**标题**\n\n更多\n")).title());
        assertEquals("概述", parsers.parse("a.md", utf8("## 概述\n\n正文\n")).title());
        assertEquals("会议纪要", parsers.parse("会议纪要.md", utf8("只有正文。\n")).title());
        assertEquals("设置标题", parsers.parse("a.md", utf8("设置标题\n===\n\n正文\n")).title());
    }

    @Test
    void headingsLoseTheirInlineSyntaxAndOpenSectionsByLevel() throws Exception {
        ParsedDocument doc = parsers.parse("a.md",
                utf8("# 总则 `v2`\n\n正文\n\n## 定义\n\n甲\n\n## 范围\n\n乙\n\n# 附则\n\n丙\n"));
        assertEquals("总则 v2\n正文\n定义\n甲\n范围\n乙\n附则\n丙", doc.text());
        assertEquals(List.of("总则 v2", "总则 v2 > 定义", "总则 v2 > 范围", "附则"), headingPaths(doc));
    }

    @Test
    void tableRowsKeepEmptyCellsAsTabs() throws Exception {
        assertEquals("项目\t说明\t备注\n甲\t\t有", md("| 项目 | 说明 | 备注 |\n|---|---|---|\n| 甲 | | 有 |\n"));
    }

    @Test
    void listsAndQuotesNestedSixtyFourDeepAreReadAndOneLevelMoreIsRefusedByName() throws Exception {
        assertEquals("- 第63层", last(md(nestedList(64))));
        DocumentParseException deeper = assertThrows(DocumentParseException.class,
                () -> parsers.parse("深.md", utf8(nestedList(65))));
        assertEquals(DocumentParseException.Reason.TOO_COMPLEX, deeper.reason());
        assertEquals("深.md: lists or quotes are nested more than 64 levels deep, refusing", deeper.getMessage());

        assertEquals("引文", md(">".repeat(64) + " 引文\n"));
        assertRefused(">".repeat(65) + " 引文\n");
        // Markers opened on one line count one level each, numbered ones too.
        assertRefused("- ".repeat(65) + "项\n");
        assertRefused("1. ".repeat(65) + "项\n");
        assertRefused("1) ".repeat(65) + "项\n");
        assertRefused("> ".repeat(40) + "1. ".repeat(25) + "项\n");
        assertRefused("0. ".repeat(65) + "项\n");
        assertRefused("9) ".repeat(65) + "项\n");
        assertRefused("-\t".repeat(65) + "项\n");
        assertRefused("> ".repeat(65) + "\n"); // markers alone, nothing after them
        // A tab indents four columns: 32 tabs and a marker are 65 levels.
        assertRefused("\t".repeat(32) + "- 项\n");
        // Indentation alone, without a marker, nests nothing: an indented code line however deep.
        assertEquals("正文\n缩进的代码", md("正文\n\n" + " ".repeat(200) + "缩进的代码\n"));
        // A file may end right after a marker.
        assertEquals("正文", md("正文\n\n> -"));
        assertEquals("正文", md("正文\n\n> 1."));
    }

    @Test
    void whatOnlyLooksLikeNestingIsNotCounted() throws Exception {
        // A dash without a space is a word, and a number needs "." or ")" and a space to be a marker.
        assertEquals("-x", last(md(">".repeat(64) + " -x\n")));
        assertEquals("2024年", last(md(">".repeat(64) + " 2024年\n")));
        assertEquals("3.14", last(md(">".repeat(64) + " 3.14\n")));
        assertEquals("1234567890. 号", last(md(">".repeat(64) + " 1234567890. 号\n")));
        // Lines inside fenced code are text, whatever they start with; a fence of the other kind does not close it.
        String deep = ">".repeat(100) + " 引文";
        assertEquals(deep, md("```\n" + deep + "\n```\n"));
        assertEquals("~~~\n" + deep, md("```\n~~~\n" + deep + "\n```\n"));
        assertEquals(deep, md("~~~\n" + deep + "\n~~~\n"));
        // After the fence closes, nesting counts again.
        assertRefused("```\ncode\n```\n" + deep + "\n");
    }

    @Test
    void aParagraphCrowdedWithEmphasisKeepsItsAsterisksWhileOrdinaryEmphasisIsRemoved() throws Exception {
        // 500 emphasised words hold 1,000 openers and closers: still read as emphasis.
        assertEquals("重点 ".repeat(500).strip(), md("*重点* ".repeat(500) + "\n"));
        assertEquals("重点 ".repeat(500).strip() + "\n后文", md("*重点* ".repeat(500) + "\n\n*后文*"));
        String crowded = ("*重点* ".repeat(501)).strip();
        assertEquals(crowded, md(crowded + "\n"));
        // Only the crowded paragraph is escaped; the paragraphs around it keep their emphasis.
        assertEquals("前面\n" + crowded + "\n后面", md("*前面*\n\n" + crowded + "\n\n**后面**\n"));
        // An opener already escaped is not escaped twice; link brackets and underscores count too.
        assertEquals(crowded, md("\\" + crowded + "\n"));
        assertEquals("[链接] ".repeat(1001).strip(), md("[链接] ".repeat(1001) + "\n"));
        assertEquals("_强调_ ".repeat(501).strip(), md("_强调_ ".repeat(501) + "\n"));
        // The count of a paragraph ends at a fence: code does not add to it, and the paragraph after starts afresh.
        String half = "*甲* ".repeat(300).strip();
        assertEquals("甲 ".repeat(300).strip() + "\n" + half + "\n" + "丙 ".repeat(300).strip(),
                md(half + "\n```\n" + half + "\n```\n" + "*丙* ".repeat(300) + "\n"));
    }

    private void assertRefused(String markdown) {
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> md(markdown));
        assertEquals(DocumentParseException.Reason.TOO_COMPLEX, e.reason());
    }

    private static String nestedList(int depth) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            s.append("  ".repeat(i)).append("- 第").append(i).append("层\n");
        }
        return s.toString();
    }

    private static String last(String text) {
        return text.substring(text.lastIndexOf('\n') + 1);
    }

    // ---- HTML ----

    @Test
    void preformattedTextKeepsItsLinesAndInlineElementsDoNotBreakALine() throws Exception {
        assertEquals("第一行\n第二行\n后文", html("<pre>第一行\n第二行</pre><p>后文</p>"));
        assertEquals("一二三", html("<p>一<b>二</b><i>三</i></p>"));
        assertEquals("前\n段\n后", html("<div>前<p>段</p>后</div>"));
        assertEquals("上\n下", html("<p>上<br>下</p>"));
    }

    @Test
    void hiddenAndNavigationElementsAreSkippedAndImagesGiveTheirAltText() throws Exception {
        assertEquals("正文", html("<div hidden>隐藏</div><div role=\"navigation\">菜单</div><p>正文</p>"));
        assertEquals("看萤火虫图", html("<p>看<img src=\"a.png\" alt=\"萤火虫\">图</p>"));
        assertEquals("正文", html("<header><button>登录</button></header><p>正文</p><noscript>请启用</noscript>"));
    }

    @Test
    void everyHeadingLevelOpensASectionAndOtherTagsDoNot() throws Exception {
        ParsedDocument doc = parsers.parse("a.html", utf8("<body><h1>一</h1><p>a</p><h2>二</h2><p>b</p><h3>三</h3>"
                + "<p>c</p><h4>四</h4><p>d</p><h5>五</h5><p>e</p><h6>六</h6><p>f</p><hr><h0>零</h0><hx>叉</hx>"
                + "<h7>七</h7></body>"));
        assertEquals(List.of("一", "一 > 二", "一 > 二 > 三", "一 > 二 > 三 > 四", "一 > 二 > 三 > 四 > 五",
                "一 > 二 > 三 > 四 > 五 > 六"), headingPaths(doc));
        assertEquals("一\na\n二\nb\n三\nc\n四\nd\n五\ne\n六\nf\n零叉七", doc.text());
    }

    @Test
    void theTitleIsThePageTitleElseTheFirstH1ElseTheFileName() throws Exception {
        assertEquals("页面标题", parsers.parse("a.html",
                utf8("<html><head><title>页面标题</title></head><body><h1>大标题</h1><p>x</p></body></html>")).title());
        assertEquals("大标题", parsers.parse("a.html",
                utf8("<html><head><title> </title></head><body><h2>小</h2><h1>大标题</h1><p>x</p></body></html>"))
                .title());
        assertEquals("公告", parsers.parse("公告.html", utf8("<html><body><h2>小</h2><p>x</p></body></html>")).title());
    }

    @Test
    void tableCellsAreTabSeparatedWhateverTheirLineBreaks() throws Exception {
        assertEquals("名称\t说明\n萤火\t本地问答\n第二行", html("<table><tr><th>名称</th><th>说明</th></tr>"
                + "<tr><td>萤火</td><td>本地\n问答<br>第二行</td></tr></table>"));
    }

    @Test
    void theDeclaredCharsetIsFoundInAnyQuotingAndAnUnknownOneFallsBackToDetection() throws Exception {
        String body = "<p>萤火虫在夏天的夜晚发光，照亮了整片稻田和小河。</p>";
        byte[] gbk = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset = 'GBK'\">"
                + "</head><body>" + body + "</body></html>").getBytes(java.nio.charset.Charset.forName("GBK"));
        assertEquals("萤火虫在夏天的夜晚发光，照亮了整片稻田和小河。", parsers.parse("a.html", gbk).text());
        byte[] latin = ("<html><head><meta charset=ISO-8859-1></head><body><p>caf\u00e9 cr\u00e8me</p></body></html>")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("caf\u00e9 cr\u00e8me", parsers.parse("b.html", latin).text());
    }

    @Test
    void aShortPageIsReadInTheCharsetItDeclaresWhereDetectionAloneWouldMisreadIt() throws Exception {
        // A name of a few characters gives detection too little to go on (𠮷野家 needs a four-byte GB18030
        // sequence and is refused as binary without the declaration; 丄丅 reads as "、。"); the declaration decides.
        for (String name : List.of("\uD842\uDFB7野家", "丄丅", "镕")) {
            byte[] page = ("<html><head><meta charset=\"gbk\"></head><body><p>" + name + "</p></body></html>")
                    .getBytes(java.nio.charset.Charset.forName("GB18030"));
            assertEquals(name, parsers.parse("名字.html", page).text());
        }
        byte[] korean = "<html><head><meta charset=\"euc-kr\"></head><body><p>한국어 문서입니다</p></body></html>"
                .getBytes(java.nio.charset.Charset.forName("EUC-KR"));
        assertEquals("한국어 문서입니다", parsers.parse("k.html", korean).text());
    }

    @Test
    void bytesThatAreNotValidInTheDetectedCharsetAreReportedToTheUser() throws Exception {
        String text = "萤火虫在夏天的夜晚发光。".repeat(5);
        for (String name : List.of("a.html", "a.md")) {
            byte[] bytes = utf8((name.endsWith("html") ? "<p>" + text + "X</p>" : text + "X\n"));
            bytes[new String(bytes, StandardCharsets.ISO_8859_1).indexOf('X')] = (byte) 0xFF;
            ParsedDocument doc = parsers.parse(name, bytes);
            assertEquals(text + "\uFFFD", doc.text());
            assertEquals(List.of("1 byte sequence(s) were not valid UTF-8 and were replaced by \uFFFD"),
                    doc.warningTexts());
        }
    }

    @Test
    void textBeforeAHeadingInsideABlockStaysBeforeIt() throws Exception {
        assertEquals("前文\n标题\n后文", html("<div>前文<h2>标题</h2>后文</div>"));
        assertEquals("html", parsers.parse("a.htm", utf8("<p>x</p>")).format());
        assertEquals("markdown", parsers.parse("a.markdown", utf8("x")).format());
    }

    @Test
    void preformattedTextKeepsItsInnerSpacingAndWhatFollowsItDoesNot() throws Exception {
        assertEquals("x  =  1\ny  =  2", html("<pre>x  =  1\ny  =  2</pre>"));
        assertEquals("代码  对齐\n正文 空格", html("<pre>代码  对齐</pre><p>正文   空格</p>"));
        assertEquals("前后有空格", html("<p>  前后有空格  </p>"));
    }

    @Test
    void wrappedLinesJoinAtTheEdgesOfTheirRules() throws Exception {
        assertEquals("第一章", md("第\n一章\n")); // 一 is the first CJK unified ideograph, U+4E00
        assertEquals("email", md("e-\nmail\n"));
        assertEquals("正文", md("正文\n   "));
    }

    @Test
    void aLineOfSpacesEndsACrowdedParagraphAndTheLastParagraphIsCountedToo() throws Exception {
        String crowded = ("*重点* ".repeat(501)).strip();
        assertEquals(crowded + "\n后面", md(crowded + "\n   \n*后面*\n"));
        assertEquals("重点 ".repeat(500).strip(), md(("*重点* ".repeat(500)).strip()));
    }
}
