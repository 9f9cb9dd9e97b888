package io.yinghuo.retrieval.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.model.testing.SharedData;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The cached tokenizer must give exactly smartcn's tokens, whatever it has cached before. */
class CachingWordTokenizerTest {

    private static final String[] SAMPLES = {
        "",
        "战国无双3\n《战国无双3》（）是由光荣和ω-force开发的战国无双系列的正统第三续作。本作以三大故事为主轴。",
        "臺灣的首都是臺北市，人口約２６０萬。Taipei 101 曾是世界最高的建築！ＡＢＣ１２３ｘｙｚ",
        "他说：“我们明天去北京。”然后他走了？是的……  \n\n  English words, numbers 3.14 and e-mail: a@b.cn.",
        "𠀀𠀁是扩展B的字。　全角空格后的句子。",
    };

    @Test
    void sameTokensAsSmartcnForMixedText() throws IOException {
        CachingWordTokenizer cached = new CachingWordTokenizer();
        for (String sample : SAMPLES) {
            assertEquals(tokens(new HMMChineseTokenizer(), sample), tokens(cached, sample), sample);
        }
        // Again, now answered from the cache, and with the sentences at other offsets.
        for (String sample : SAMPLES) {
            String shifted = "前面一句话。" + sample;
            assertEquals(tokens(new HMMChineseTokenizer(), shifted), tokens(cached, shifted), shifted);
            assertEquals(tokens(new HMMChineseTokenizer(), sample), tokens(cached, sample), sample);
        }
    }

    @Test
    void sameTokensForTextLongerThanTheTokenizerBufferAndMoreSentencesThanTheCache() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 20_000; i++) {
            text.append("第").append(i).append("个句子讲的是长江和黄河的第").append(i % 7).append("段历史。");
            if (i % 5 == 0) {
                text.append("没有句号的长长的一段话，").append("重复".repeat(600)).append('\n');
            }
        }
        List<String> expected = tokens(new HMMChineseTokenizer(), text.toString());
        CachingWordTokenizer cached = new CachingWordTokenizer();
        assertEquals(expected, tokens(cached, text.toString()));
        assertEquals(expected, tokens(cached, text.toString()));
        assertFalse(expected.isEmpty());
    }

    @Test
    void sameTokensOnTheEvaluationDocuments() throws IOException {
        Path data = evaluationData();
        ObjectMapper json = new ObjectMapper();
        CachingWordTokenizer cached = new CachingWordTokenizer();
        int documents = 0;
        for (String name : new String[] {"cmrc2018_documents.jsonl", "drcd_documents.jsonl"}) {
            for (String line : Files.readAllLines(data.resolve(name), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode document = json.readTree(line);
                // Title first, as the index carries it with every chunk.
                String text = document.get("title").asText() + "\n" + document.get("text").asText();
                assertEquals(tokens(new HMMChineseTokenizer(), text), tokens(cached, text),
                        document.get("doc_id").asText());
                documents++;
            }
        }
        assertEquals(369, documents);
    }

    private static List<String> tokens(Tokenizer tokenizer, String text) throws IOException {
        tokenizer.setReader(new StringReader(text));
        CharTermAttribute term = tokenizer.addAttribute(CharTermAttribute.class);
        OffsetAttribute offset = tokenizer.addAttribute(OffsetAttribute.class);
        TypeAttribute type = tokenizer.addAttribute(TypeAttribute.class);
        PositionIncrementAttribute increment = tokenizer.addAttribute(PositionIncrementAttribute.class);
        List<String> tokens = new ArrayList<>();
        tokenizer.reset();
        while (tokenizer.incrementToken()) {
            tokens.add(term + "@" + offset.startOffset() + "-" + offset.endOffset() + "/" + type.type() + "+"
                    + increment.getPositionIncrement());
        }
        tokenizer.end();
        tokens.add("end@" + offset.endOffset());
        tokenizer.close();
        return tokens;
    }

    /** The shared CMRC/DRCD folder ({@code ../shared} beside the repository), or a skipped test. */
    private static Path evaluationData() {
        return SharedData.require("data/cmrc2018-dev");
    }
}
