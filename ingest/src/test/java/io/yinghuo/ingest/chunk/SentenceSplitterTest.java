package io.yinghuo.ingest.chunk;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SentenceSplitterTest {

    private static List<String> sentences(String text) {
        return SentenceSplitter.split(text).stream().map(s -> text.substring(s.start(), s.end())).toList();
    }

    @Test
    void chineseTerminatorsAndClosers() {
        assertEquals(List.of("今天很好。", "你去吗？", "去！", "他说：“我来了。”", "然后走了……", "最后；", "结束"),
                sentences("今天很好。你去吗？去！他说：“我来了。”然后走了……最后；结束"));
        assertEquals(List.of("真的吗？！", "（注：见上文。）", "好"), sentences("真的吗？！（注：见上文。）好"));
        assertEquals(List.of("「這是繁體。」", "對"), sentences("「這是繁體。」對"));
    }

    @Test
    void englishRulesDecimalsAndAbbreviations() {
        assertEquals(List.of("Pi is 3.14 today.", "Mr. Smith met Dr. Lee at 5 p.m. in the U.S. office.",
                "J. K. Rowling wrote it, e.g. the first book.", "Really?", "Yes!"),
                sentences("Pi is 3.14 today. Mr. Smith met Dr. Lee at 5 p.m. in the U.S. office. "
                        + "J. K. Rowling wrote it, e.g. the first book. Really? Yes!"));
        assertEquals(List.of("Visit example.com now.", "版本1.0发布。"), sentences("Visit example.com now. 版本1.0发布。"));
        assertEquals(List.of("It ended. and continued."), sentences("It ended. and continued."));
    }

    @Test
    void lineBreaksEndSentencesAndSpacesAreTrimmed() {
        String text = "  第一行没有句号\n\n   第二行。 第三句\n";
        assertEquals(List.of("第一行没有句号", "第二行。", "第三句"), sentences(text));
    }
}
