package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextFormatsTest {

    private final DocumentParsers parsers = DocumentParsers.withDefaults();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> headingPaths(ParsedDocument doc) {
        return doc.sections().stream().map(ParsedDocument.Section::headingPath).toList();
    }

    @Test
    void plainTextKeepsTextAndFindsChapters() throws Exception {
        String text = "前言\n第一章 总则\n第一条 为了规范管理，制定本办法。\n第一节 定义\n本办法所称数据。\n第二章 附则\n本办法自发布之日起施行。";
        ParsedDocument doc = parsers.parse("办法.txt", text.getBytes(Charset.forName("GBK")));
        assertEquals(text, doc.text());
        assertEquals("办法", doc.title());
        assertEquals(List.of("第一章 总则", "第一章 总则 > 第一节 定义", "第二章 附则"), headingPaths(doc));
        ParsedDocument.Section first = doc.sections().get(0);
        assertEquals("第一章 总则\n第一条 为了规范管理，制定本办法。", text.substring(first.start(), first.end()));
    }

    @Test
    void markdownHeadingPathsAndCleanText() throws Exception {
        String md = """
                # 用户手册

                欢迎使用**萤火**。这里有[链接文字](https://example.com)和`代码`。
                中文软换行
                会被连起来。

                ## 安装

                - 第一步
                - 第二步

                ### 依赖

                1. Java 17

                | 名称 | 版本 |
                |------|------|
                | Lucene | 9.12 |

                ## 使用

                ```
                java -jar app.jar
                ```
                """;
        ParsedDocument doc = parsers.parse("manual.md", utf8(md));
        assertEquals("markdown", doc.format());
        assertEquals("用户手册", doc.title());
        assertEquals(String.join("\n", "用户手册", "欢迎使用萤火。这里有链接文字和代码。中文软换行会被连起来。", "安装",
                "- 第一步", "- 第二步", "依赖", "1. Java 17", "名称\t版本", "Lucene\t9.12", "使用", "java -jar app.jar"),
                doc.text());
        assertFalse(doc.text().contains("**"));
        assertEquals(List.of("用户手册", "用户手册 > 安装", "用户手册 > 安装 > 依赖", "用户手册 > 使用"), headingPaths(doc));
        for (ParsedDocument.Section s : doc.sections()) {
            String leaf = s.headingPath().substring(s.headingPath().lastIndexOf('>') + 1).strip();
            assertTrue(doc.text().substring(s.start(), s.end()).startsWith(leaf), s.toString());
        }
    }

    @Test
    void htmlBlocksHeadingsAndSkippedElements() throws Exception {
        String html = """
                <!DOCTYPE html><html><head><meta charset="gbk"><title>公司简介</title>
                <style>p { color: red }</style><script>var x = "不要";</script></head>
                <body><nav><a href="/">首页</a> <a href="/about">关于</a></nav>
                <h1>关于我们</h1><p>我们是一家
                小公司。<br>成立于2020年。</p>
                <h2>联系方式</h2><table><tr><th>电话</th><th>邮箱</th></tr><tr><td>123</td><td>a@b.cn</td></tr></table>
                <div>地址：<span>北京</span></div></body></html>
                """;
        ParsedDocument doc = parsers.parse("about.html", html.getBytes(Charset.forName("GBK")));
        assertEquals("公司简介", doc.title());
        assertEquals(String.join("\n", "关于我们", "我们是一家小公司。", "成立于2020年。", "联系方式", "电话\t邮箱",
                "123\ta@b.cn", "地址：北京"), doc.text());
        assertEquals(List.of("关于我们", "关于我们 > 联系方式"), headingPaths(doc));
    }

    @Test
    void htmlWithoutDeclaredCharsetIsDetected() throws Exception {
        String html = "<html><body><p>繁體中文的網頁內容，沒有宣告字元編碼。</p></body></html>";
        ParsedDocument doc = parsers.parse("big5.htm", html.getBytes(Charset.forName("Big5")));
        assertEquals("繁體中文的網頁內容，沒有宣告字元編碼。", doc.text());
    }

    @Test
    void csvRowsBecomeHeaderValueLines() throws Exception {
        String csv = "姓名,城市,备注\r\n张三,北京,\"喜欢\"\"读书\"\", 也爱跑步\"\r\n李四,上海,\r\n";
        ParsedDocument doc = parsers.parse("people.csv", csv.getBytes(Charset.forName("GB18030")));
        assertEquals("姓名: 张三; 城市: 北京; 备注: 喜欢\"读书\", 也爱跑步\n姓名: 李四; 城市: 上海", doc.text());
        ParsedDocument tsv = parsers.parse("people.tsv", utf8("a\tb\n1\t2\n"));
        assertEquals("a: 1; b: 2", tsv.text());
        // A numeric first row is data, not a header.
        assertEquals("1; 2\n3; 4", parsers.parse("n.csv", utf8("1,2\n3,4\n")).text());
        ParsedDocument semicolons = parsers.parse("x.csv", utf8("名称;数量\n苹果;3\n"));
        assertEquals("名称: 苹果; 数量: 3", semicolons.text());
    }

    @Test
    void jsonIsFlattenedToReadableLines() throws Exception {
        String json = "{\"产品\": {\"名称\": \"萤火\", \"版本\": 1.0}, \"标签\": [\"本地\", \"中文\"],"
                + " \"模块\": [{\"名\": \"ingest\"}, {\"名\": \"retrieval\"}], \"空\": null}";
        ParsedDocument doc = parsers.parse("info.json", utf8(json));
        assertEquals("产品.名称: 萤火\n产品.版本: 1.0\n标签: 本地, 中文\n模块[0].名: ingest\n模块[1].名: retrieval",
                doc.text());
        ParsedDocument lines = parsers.parse("rows.jsonl", utf8("{\"q\": \"问题一\"}\n\n{\"q\": \"问题二\"}\n"));
        assertEquals("q: 问题一\nq: 问题二", lines.text());
        DocumentParseException bad = assertThrows(DocumentParseException.class,
                () -> parsers.parse("bad.json", utf8("{\"a\": ")));
        assertEquals(DocumentParseException.Reason.CORRUPT, bad.reason());
        assertTrue(bad.getMessage().startsWith("bad.json: is not valid JSON"), bad.getMessage());
    }
}
