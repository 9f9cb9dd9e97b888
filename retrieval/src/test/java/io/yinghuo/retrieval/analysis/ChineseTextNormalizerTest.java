package io.yinghuo.retrieval.analysis;

import com.ibm.icu.text.Transliterator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChineseTextNormalizerTest {

    /**
     * The shipped table is ICU's Traditional-Simplified transform, character by character: after an ICU upgrade
     * this fails and writes the new table to {@code target/}, to be copied over the resource.
     */
    @Test
    void foldTableIsIcusTraditionalToSimplifiedMapping() throws IOException {
        char[] icu = icuTable();
        StringBuilder expected = new StringBuilder(ChineseTextNormalizer.TABLE_HEADER);
        List<String> differences = new ArrayList<>();
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            if (icu[c] != c) {
                expected.append((char) c).append(icu[c]).append('\n');
            }
            char folded = ChineseTextNormalizer.fold((char) c);
            boolean widthOrSpace = (c >= 0xFF01 && c <= 0xFF5E) || c == 0x3000;
            if (!widthOrSpace && folded != icu[c] && differences.size() < 10) {
                differences.add(String.format("U+%04X -> U+%04X, ICU U+%04X", c, (int) folded, (int) icu[c]));
            }
        }
        if (!differences.isEmpty()) {
            Path regenerated = Path.of("target", ChineseTextNormalizer.TABLE_RESOURCE);
            Files.writeString(regenerated, expected, StandardCharsets.UTF_8);
            throw new AssertionError("the fold table differs from ICU " + com.ibm.icu.util.VersionInfo.ICU_VERSION
                    + " " + differences + "; copy " + regenerated.toAbsolutePath()
                    + " to src/main/resources/io/yinghuo/retrieval/analysis/");
        }
    }

    /**
     * ICU's transform for the CJK ranges, kept where each character maps to exactly one BMP character (so that
     * offsets stay valid): the whole range transliterated as one string when the lengths agree, else one by one.
     */
    private static char[] icuTable() {
        char[] table = new char[Character.MAX_VALUE + 1];
        for (int c = 0; c < table.length; c++) {
            table[c] = (char) c;
        }
        Transliterator toSimplified = Transliterator.getInstance("Traditional-Simplified");
        int[][] ranges = {{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}}; // Ext. A, unified, compatibility
        for (int[] range : ranges) {
            StringBuilder text = new StringBuilder();
            for (int c = range[0]; c <= range[1]; c++) {
                text.append((char) c);
            }
            String folded = toSimplified.transliterate(text.toString());
            for (int c = range[0]; c <= range[1]; c++) {
                String one = folded.length() == text.length() ? String.valueOf(folded.charAt(c - range[0]))
                        : toSimplified.transliterate(String.valueOf((char) c));
                if (one.length() == 1) {
                    table[c] = one.charAt(0);
                }
            }
        }
        return table;
    }

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
