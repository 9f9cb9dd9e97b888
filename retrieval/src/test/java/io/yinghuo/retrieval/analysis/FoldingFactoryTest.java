package io.yinghuo.retrieval.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharFilterFactory;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The folding as a search server builds it from its schema (the SPI factory), and as Lucene normalizes a query
 * term that is not analyzed (a wildcard or prefix in a Solr query): both must fold as the embedded index does.
 */
class FoldingFactoryTest {

    private static String read(Reader reader) throws IOException {
        StringBuilder out = new StringBuilder();
        char[] buffer = new char[3]; // several reads, each folded
        for (int n; (n = reader.read(buffer, 0, buffer.length)) != -1; ) {
            out.append(buffer, 0, n);
        }
        return out.toString();
    }

    @Test
    void theFactoryFoundByItsSpiNameFoldsTraditionalAndFullWidthText() throws IOException {
        CharFilterFactory factory = CharFilterFactory.forName(FoldingCharFilterFactory.NAME, new HashMap<>());
        assertEquals("台湾大学ABC ", read(factory.create(new StringReader("臺灣大學ＡＢＣ\u3000"))));
        assertEquals("台湾", read(factory.normalize(new StringReader("臺灣"))));
    }

    @Test
    void unknownParametersAreRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new FoldingCharFilterFactory(new HashMap<>(Map.of("mode", "strict"))));
        assertEquals("unknown parameters: {mode=strict}", refused.getMessage());
    }

    @Test
    void queryTermsNormalizeAsTheIndexFolds() {
        assertEquals(new BytesRef("台湾ab"), ChineseAnalyzers.words().normalize("words", "臺灣ＡＢ"));
        assertEquals(new BytesRef("台湾ab"), ChineseAnalyzers.bigrams().normalize("bigrams", "臺灣ＡＢ"));
    }

    @Test
    void theBaselineIsLucenesCharacterBigrams() throws IOException {
        assertEquals(List.of("长江", "江大", "大桥"), terms(ChineseAnalyzers.baselineBigrams(), "长江大桥"));
    }

    private static List<String> terms(Analyzer analyzer, String text) throws IOException {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("cjk", text)) {
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
