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

    @Test
    void aTextWithoutTerminatorIsOneSentenceAndALineBreakAtTheStartEndsTheFirstLine() {
        assertEquals(List.of("没有句号"), sentences("没有句号"));
        assertEquals(List.of("标题", "正文"), sentences("标题\n正文"));
        // Spaces before a line break or the end stay out of the sentence.
        assertEquals(List.of("标题", "正文"), sentences("标题  \n正文\t"));
    }

    @Test
    void asciiQuestionAndExclamationMarksEndASentenceBeforeChineseButNotInsideAWord() {
        assertEquals(List.of("真的吗?", "一定是!", "好"), sentences("真的吗?一定是!好"));
        assertEquals(List.of("本当?", "はい"), sentences("本当?はい"));
        assertEquals(List.of("真的?", "㐀字"), sentences("真的?㐀字"));
        assertEquals(List.of("真的?", "𠀀字"), sentences("真的?𠀀字"));
        // Inside a token such as a URL's query the mark does not end anything.
        assertEquals(List.of("Open a.php?id=3 now."), sentences("Open a.php?id=3 now."));
        assertEquals(List.of("看a!b然后"), sentences("看a!b然后"));
    }

    @Test
    void chineseTerminatorsEndASentenceEvenBeforeLatinText() {
        assertEquals(List.of("完成。", "OK了"), sentences("完成。OK了"));
        assertEquals(List.of("第一；", "second"), sentences("第一；second"));
    }

    @Test
    void anEllipsisEndsASentenceOnlyBeforeAnUpperCaseOrChineseStart() {
        assertEquals(List.of("Wait...", "Then it came."), sentences("Wait... Then it came."));
        assertEquals(List.of("Wait... and then it came."), sentences("Wait... and then it came."));
        assertEquals(List.of("Wait...", "然后来了。"), sentences("Wait... 然后来了。"));
    }

    @Test
    void aDotAfterANumberOrALongDottedNameEndsASentenceButADottedAbbreviationDoesNot() {
        assertEquals(List.of("It costs 5.", "Then we left."), sentences("It costs 5. Then we left."));
        assertEquals(List.of("See www.example.org.", "Then sign in."), sentences("See www.example.org. Then sign in."));
        assertEquals(List.of("She served in the U.S. Army for years."),
                sentences("She served in the U.S. Army for years."));
        // An abbreviation at the very start of the text.
        assertEquals(List.of("Dr. Lee came.", "He left."), sentences("Dr. Lee came. He left."));
    }
}
