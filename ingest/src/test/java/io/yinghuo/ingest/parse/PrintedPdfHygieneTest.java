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
 * has a running header of its own and "第 N 页" numbers. Skips when Chromium or a CJK font is absent.
 */
class PrintedPdfHygieneTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String SENTENCE = "萤火虫是一种会发光的昆虫，夏天的夜晚常常可以在田野和河边看到它们一闪一闪的光芒，"
            + "古人曾用囊萤夜读的故事勉励后人刻苦学习，";

    @Test
    void wrappedChineseJoinsWithoutSpacesAndRunningLinesAreGone(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(CHROMIUM)), "Chromium not installed at " + CHROMIUM);
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/fonts/opentype/noto")),
                "no Noto CJK font (apt-get install fonts-noto-cjk)");
        StringBuilder body = new StringBuilder();
        for (int p = 0; p < 24; p++) {
            body.append("<p>第").append(p + 1).append("段。").append(SENTENCE.repeat(3)).append("</p>\n");
        }
        String html = "<!doctype html><html lang=zh><head><meta charset=utf-8><title>萤火虫报告</title><style>"
                + "body{font-family:'Noto Serif CJK SC';font-size:14pt;line-height:1.6}"
                + "</style></head><body>" + body + "</body></html>";
        Path page = Files.writeString(dir.resolve("report.html"), html, StandardCharsets.UTF_8);
        Path pdf = dir.resolve("report.pdf");
        Process chromium = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("profile"), "--print-to-pdf=" + pdf, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertTrue(chromium.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        Assumptions.assumeTrue(Files.isRegularFile(pdf), "chromium printed nothing: "
                + Files.readString(dir.resolve("chromium.log")));

        ParsedDocument doc = DocumentParsers.withDefaults().parse("report.pdf", Files.readAllBytes(pdf));
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

    private static String firstMatch(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group() : "";
    }
}
