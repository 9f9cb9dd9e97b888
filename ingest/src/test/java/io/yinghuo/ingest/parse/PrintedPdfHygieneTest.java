package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real PDF output: an HTML page of long Chinese paragraphs printed to PDF by headless Chromium, which wraps the
 * lines, and adds its own running header (date, title) and footer (file URL, "1/3") to every page; the page also
 * has a running header of its own and "第 N 页" numbers; and an HTML table printed between paragraphs, whose rows
 * must come out with their headers. Skips when Chromium or a CJK font is absent.
 */
class PrintedPdfHygieneTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    /** A parse budget that a machine shared by several builds cannot exceed: these tests are about the text. */
    private static final DocumentParsers PARSERS = new DocumentParsers(ParseLimits.defaults()
            .withBudgetPerMegabyte(120_000, ParseLimits.DEFAULT_BUDGET_BYTES_PER_MEGABYTE));
    private static final String SENTENCE = "萤火虫是一种会发光的昆虫，夏天的夜晚常常可以在田野和河边看到它们一闪一闪的光芒，"
            + "古人曾用囊萤夜读的故事勉励后人刻苦学习，";

    @Test
    void wrappedChineseJoinsWithoutSpacesAndRunningLinesAreGone(@TempDir Path dir) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int p = 0; p < 24; p++) {
            body.append("<p>第").append(p + 1).append("段。").append(SENTENCE.repeat(3)).append("</p>\n");
        }
        String html = "<!doctype html><html lang=zh><head><meta charset=utf-8><title>萤火虫报告</title><style>"
                + "body{font-family:'Noto Serif CJK SC';font-size:14pt;line-height:1.6}"
                + "</style></head><body>" + body + "</body></html>";
        Path pdf = print(dir, "report", html);

        ParsedDocument doc = PARSERS.parse("report.pdf", Files.readAllBytes(pdf));
        assertTrue(doc.pages().size() >= 3, "several pages: " + doc.pages().size());
        String text = doc.text();
        assertFalse(Pattern.compile("\\p{IsHan} +\\p{IsHan}").matcher(text).find(),
                "a space between Chinese characters: " + firstMatch(text, "\\p{IsHan} +\\p{IsHan}"));
        // Chromium's header (title, date) and footer (file URL, "n/N") are on every page: all gone.
        assertFalse(text.contains("file:"), "footer URL left: " + firstMatch(text, ".{0,20}file:.{0,40}"));
        assertFalse(text.contains("萤火虫报告"), "header title left");
        assertFalse(Pattern.compile("\\b\\d+/\\d+\\b").matcher(text).find(), "page number left: "
                + firstMatch(text, ".{0,20}\\b\\d+/\\d+\\b.{0,20}"));
        // Each paragraph is one line of text: wrapped lines joined, a paragraph broken only where a page ends.
        long lines = text.lines().count();
        assertTrue(lines <= 24 + doc.pages().size(), lines + " lines for 24 paragraphs on " + doc.pages().size()
                + " pages:\n" + text.lines().map(l -> l.length() + " " + l.substring(0, Math.min(12, l.length())) + "…" + l.substring(Math.max(0, l.length() - 6))).collect(java.util.stream.Collectors.joining("\n")));
        String joined = text.replace("\n", "");
        for (int p = 1; p <= 24; p++) {
            assertTrue(joined.contains("第" + p + "段。" + SENTENCE.repeat(3)), "paragraph " + p + " damaged");
        }
        assertEquals(List.of(), doc.warningTexts());
    }

    /**
     * A table as a web page prints it: centred bold headers over left-aligned cells, an empty cell, a cell of
     * several Latin words, right-aligned numbers, between paragraphs of Chinese and of justified English. Each row
     * comes out as one line naming its header for every value; the prose around it stays prose.
     */
    @Test
    void tableRowsCarryTheirHeaders(@TempDir Path dir) throws Exception {
        String html = "<!doctype html><html lang=zh><head><meta charset=utf-8><title>城市</title><style>"
                + "body{font-family:'Noto Sans CJK SC';font-size:12pt;width:30em}"
                + "table{border-collapse:collapse} td,th{border:1px solid #333;padding:4px 8px} td.n{text-align:right}"
                + "p.en{text-align:justify}</style></head><body>"
                + "<p>下表列出各城市的人口与面积，数据来自统计公报。</p>"
                + "<table><thead><tr><th>城市</th><th>省份</th><th>人口（万）</th><th>面积（平方公里）</th></tr></thead>"
                + "<tbody><tr><td>杭州</td><td>浙江</td><td class=n>1237</td><td class=n>16850</td></tr>"
                + "<tr><td>深圳</td><td></td><td class=n>1756</td><td class=n>1997</td></tr>"
                + "<tr><td>New York</td><td>New York State</td><td class=n>880</td><td class=n>783</td></tr>"
                + "<tr><td>广州</td><td>广东</td><td class=n>1882</td><td class=n>7434</td></tr></tbody></table>"
                + "<p class=en>" + "The quick brown fox jumps over the lazy dog while a considerably longer word "
                .repeat(6) + "</p><p>表后的一段中文说明文字。</p></body></html>";
        Path pdf = print(dir, "table", html);
        ParsedDocument doc = PARSERS.parse("table.pdf", Files.readAllBytes(pdf));
        List<String> lines = doc.text().lines().toList();
        int header = lines.indexOf("城市\t省份\t人口（万）\t面积（平方公里）");
        assertTrue(header > 0, "header line missing:\n" + doc.text());
        assertEquals(List.of("城市: 杭州; 省份: 浙江; 人口（万）: 1237; 面积（平方公里）: 16850",
                "城市: 深圳; 人口（万）: 1756; 面积（平方公里）: 1997",
                "城市: New York; 省份: New York State; 人口（万）: 880; 面积（平方公里）: 783",
                "城市: 广州; 省份: 广东; 人口（万）: 1882; 面积（平方公里）: 7434"),
                lines.subList(header + 1, header + 5));
        assertEquals("下表列出各城市的人口与面积，数据来自统计公报。", lines.get(header - 1));
        String rest = String.join("\n", lines.subList(header + 5, lines.size()));
        assertFalse(rest.contains(": "), "prose read as a table:\n" + rest);
        assertTrue(rest.replaceAll("\\s+", " ").contains("The quick brown fox jumps over the lazy dog while a"), rest);
        assertTrue(rest.contains("表后的一段中文说明文字。"), rest);
    }

    /** The page printed to PDF by headless Chromium, or a skipped test when Chromium or the CJK fonts are absent. */
    private static Path print(Path dir, String name, String html) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(CHROMIUM)), "Chromium not installed at " + CHROMIUM);
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/fonts/opentype/noto")),
                "no Noto CJK font (apt-get install fonts-noto-cjk)");
        Path page = Files.writeString(dir.resolve(name + ".html"), html, StandardCharsets.UTF_8);
        Path pdf = dir.resolve(name + ".pdf");
        Process chromium = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("profile"), "--print-to-pdf=" + pdf, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertTrue(chromium.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        Assumptions.assumeTrue(Files.isRegularFile(pdf), "chromium printed nothing: "
                + Files.readString(dir.resolve("chromium.log")));
        return pdf;
    }

    private static String firstMatch(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group() : "";
    }
}
