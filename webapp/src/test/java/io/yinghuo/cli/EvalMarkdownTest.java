package io.yinghuo.cli;

import io.yinghuo.ingest.parse.DocumentParseException;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.retrieval.eval.EvalDocument;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluation commands ingest each evaluation document as Markdown (a title heading, a paragraph per line): its
 * text must come back from the Markdown parser exactly, whatever ASCII punctuation it holds, or answers found in it
 * would not match the reference offsets.
 */
class EvalMarkdownTest {

    /** Every ASCII punctuation character, the CommonMark set that may be backslash-escaped. */
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    @Test
    void everyAsciiPunctuationCharacterSurvivesTheMarkdownParser() throws DocumentParseException {
        String first = "# 不是标题 *不是强调* [不是链接](x) <b>不是标签</b> `不是代码` 1. 不是列表 " + PUNCTUATION;
        String second = "- 第二段，全角标点。A-Z 0-9 a_b_c ~~x~~ > 不是引文";
        EvalDocument document = new EvalDocument("d-1", "标题 #1 [草稿]", first + "\n\n  \n" + second);

        String markdown = RetrievalBenchmark.markdown(document);
        String text = DocumentParsers.withDefaults().parse("d-1.md", markdown.getBytes(StandardCharsets.UTF_8)).text();

        assertTrue(markdown.startsWith("# 标题 \\#1 \\[草稿\\]\n\n"), markdown);
        assertEquals(3, markdown.split("\n\n").length, "the title and two paragraphs, the blank line dropped");
        assertTrue(text.contains("标题 #1 [草稿]"), text);
        assertTrue(text.contains(first), text);
        assertTrue(text.contains(second), text);
    }

    @Test
    void onlyAsciiPunctuationIsEscaped() {
        String markdown = RetrievalBenchmark.markdown(new EvalDocument("d-2", "", "aZ09 ，。！" + PUNCTUATION));
        StringBuilder escaped = new StringBuilder("aZ09 ，。！");
        for (char c : PUNCTUATION.toCharArray()) {
            escaped.append('\\').append(c);
        }
        assertEquals(escaped + "\n\n", markdown);
        assertFalse(markdown.startsWith("#"), "no title, no heading");
    }
}
