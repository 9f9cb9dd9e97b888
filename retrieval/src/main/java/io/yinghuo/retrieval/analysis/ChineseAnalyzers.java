package io.yinghuo.retrieval.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

import java.io.Reader;

/**
 * The analyzers of the index. Both retrieval analyzers first fold traditional to simplified Chinese (see
 * {@link ChineseTextNormalizer}): smartcn's dictionary and HMM are trained on simplified text, and folding lets a
 * traditional question find a simplified document and the other way round.
 */
public final class ChineseAnalyzers {

    private ChineseAnalyzers() {
    }

    /**
     * Words: smartcn's HMM segmentation (as {@link SmartChineseAnalyzer} builds it: Porter stemming for English,
     * punctuation stop set) over folded text; sentences seen recently are not segmented again
     * ({@link CachingWordTokenizer}).
     */
    public static Analyzer words() {
        return new Analyzer() {
            @Override
            protected Reader initReader(String fieldName, Reader reader) {
                return new FoldingCharFilter(reader);
            }

            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer tokenizer = new CachingWordTokenizer();
                TokenStream result = new PorterStemFilter(tokenizer);
                result = new StopFilter(result, SmartChineseAnalyzer.getDefaultStopSet());
                return new TokenStreamComponents(tokenizer, result);
            }

            @Override
            protected Reader initReaderForNormalization(String fieldName, Reader reader) {
                return new FoldingCharFilter(reader);
            }

            @Override
            protected TokenStream normalize(String fieldName, TokenStream in) {
                return new LowerCaseFilter(in);
            }
        };
    }

    /**
     * Character bigrams (what {@link CJKAnalyzer} does: overlapping Han bigrams, width folding, lower case, English
     * stop words) over folded text. Bigrams recover words smartcn segments wrongly, names above all.
     */
    public static Analyzer bigrams() {
        return new Analyzer() {
            @Override
            protected Reader initReader(String fieldName, Reader reader) {
                return new FoldingCharFilter(reader);
            }

            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer tokenizer = new StandardTokenizer();
                TokenStream result = new CJKWidthFilter(tokenizer);
                result = new LowerCaseFilter(result);
                result = new CJKBigramFilter(result);
                result = new StopFilter(result, CJKAnalyzer.getDefaultStopSet());
                return new TokenStreamComponents(tokenizer, result);
            }

            @Override
            protected Reader initReaderForNormalization(String fieldName, Reader reader) {
                return new FoldingCharFilter(reader);
            }

            @Override
            protected TokenStream normalize(String fieldName, TokenStream in) {
                return new LowerCaseFilter(new CJKWidthFilter(in));
            }
        };
    }

    /** Lucene's stock {@link CJKAnalyzer}, unchanged: the character-bigram baseline the retrieval is measured against. */
    public static Analyzer baselineBigrams() {
        return new CJKAnalyzer();
    }
}
