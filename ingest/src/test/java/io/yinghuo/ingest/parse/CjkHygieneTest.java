package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Line joining, running headers and page numbers, on small hand-made page texts. */
class CjkHygieneTest {

    private static final char P = '\u2029';

    @Test
    void cellsAndHeadingsWrappedInsideChineseJoinWithoutASpace() {
        assertEquals("数据处理 活动", DocumentTextBuilder.collapseWhitespace("数据\n处理 活动"));
        assertEquals("open source", DocumentTextBuilder.collapseWhitespace("open\nsource"));
        assertEquals("使用 Python 语言", DocumentTextBuilder.collapseWhitespace("使用\nPython\n语言"));
    }

    @Test
    void runningHeadersFootersAndPageNumbersAreDropped() {
        List<String> pages = new ArrayList<>();
        String[] numbers = {"- 1 -", "第 2 页", "3/10", "Page 4 of 10"};
        String[] bodies = {"萤火虫会发光", "它们生活在水边", "幼虫吃蜗牛", "成虫寿命很短"};
        for (int i = 0; i < 4; i++) {
            pages.add(P + "萤火虫年度报告 2024\n" + P + bodies[i] + "。\n第二句" + i + "。\n" + P + "第三段"
                    + bodies[(i + 1) % 4] + "\n" + numbers[i]);
        }
        List<String> cleaned = RunningHeaders.remove(pages);
        for (int i = 0; i < 4; i++) {
            String text = cleaned.get(i).replace(String.valueOf(P), "|").replace("\n", "/");
            assertEquals("|/|" + bodies[i] + "。/第二句" + i + "。/|第三段" + bodies[(i + 1) % 4] + "/", text);
        }
    }

    @Test
    void aNumberInsideThePageIsKept() {
        List<String> pages = List.of("标题\n12\n正文\n结尾\n最后", "另一页\n正文二\n34\n结尾二\n最后一行\n7");
        List<String> cleaned = RunningHeaders.remove(pages);
        // "12" is a table cell on the second line, not the page's first or last line: kept; the "7" at the bottom goes.
        assertEquals(List.of("标题\n12\n正文\n结尾\n最后", "另一页\n正文二\n34\n结尾二\n最后一行\n"), cleaned);
    }

    @Test
    void wrappedChineseLinesThatPdfboxSplitIntoParagraphsAreRejoined() {
        String raw = P + "第一章 总则\n" + P + "一二三四五六七八九十一二三四五六七八九十\n" + P + "接着写的文字。\n" + P + "新段落。";
        String joined = WrappedLines.rejoin(raw);
        assertEquals(List.of("第一章 总则", "一二三四五六七八九十一二三四五六七八九十 接着写的文字。", "新段落。"),
                List.of(joined.split(String.valueOf(P))).stream().map(String::strip).filter(s -> !s.isEmpty())
                        .map(s -> s.replace("\n", " ")).toList());
        assertEquals("一二三四五六七八九十一二三四五六七八九十接着写的文字。",
                CjkText.joinLines(joined.split(String.valueOf(P))[2]));
    }
}
