package io.yinghuo.retrieval.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChineseTextNormalizerTest {

    @Test
    void foldsTraditionalToSimplifiedAndFullWidthToAsciiKeepingLength() {
        String traditional = "臺灣的體育發展與國際關係，ＡＢＣ１２３　頭髮";
        String folded = ChineseTextNormalizer.fold(traditional);
        assertEquals("台湾的体育发展与国际关系,ABC123 头发", folded);
        assertEquals(traditional.length(), folded.length());
        assertEquals("简体中文不变", ChineseTextNormalizer.fold("简体中文不变"));
    }

    @Test
    void analyzersGiveTheSameTermsForBothScriptsWithOffsetsIntoTheOriginal() throws IOException {
        for (Analyzer analyzer : List.of(ChineseAnalyzers.words(), ChineseAnalyzers.bigrams())) {
            List<String> traditional = terms(analyzer, "國際關係研究");
            List<String> simplified = terms(analyzer, "国际关系研究");
            assertEquals(simplified, traditional);
        }
        try (TokenStream stream = ChineseAnalyzers.bigrams().tokenStream("f", "在臺灣")) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            stream.reset();
            List<String> seen = new ArrayList<>();
            while (stream.incrementToken()) {
                seen.add(term + "@" + offset.startOffset() + "-" + offset.endOffset());
            }
            stream.end();
            assertTrue(seen.contains("台湾@1-3"), seen.toString());
        }
    }

    static List<String> terms(Analyzer analyzer, String text) throws IOException {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("f", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        }
        return terms;
    }
}
