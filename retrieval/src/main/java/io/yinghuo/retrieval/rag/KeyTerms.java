package io.yinghuo.retrieval.rag;

import io.yinghuo.retrieval.analysis.ChineseAnalyzers;
import io.yinghuo.retrieval.analysis.ChineseTextNormalizer;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.SearchSnapshot;
import io.yinghuo.retrieval.index.IndexFields;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The key terms of a question and how much each says about relevance ({@link QueryCoverage}): a rare name
 * ("沼鹿") identifies the passage that answers, a common word ("美国") does not.
 */
public interface KeyTerms {

    /** Characters that make a word a question word (哪里, 什么样, 为什么, 怎么样, 多少钱…): such words are not topics. */
    String QUESTION_CHARS = "哪什谁誰几幾吗嗎呢怎甚";

    /** Function and question characters that carry nothing about the topic. */
    String STOP_CHARS = "的是了吗呢什么哪谁几多少怎如何为请问在有一和与及其它他她这那个们吧啊被把于将从对也都就而或";

    /**
     * After 多, the adjectives of "how much" questions (多久 how long, 多长, 多大, 多高, 多远…): such a word asks for an
     * amount that the answering passage states ("两年"), so it is not a topic either. The bigrams never hold it (多
     * is a function character); the index's segmenter keeps it as one word, which hardly any chunk contains, so it
     * weighed more than the topic, and in a small index the passage that answered "保修期多久？" fell below the
     * relevance floor.
     */
    String HOW_MUCH_CHARS = "久长長大高远遠重宽寬深厚快晚";

    /**
     * Character bigrams without function/question characters, Latin words and numbers, all weighted the same
     * (a question with no such bigram falls back to its single content characters). Needs no index.
     */
    KeyTerms BIGRAMS = new KeyTerms() {
        @Override
        public List<String> terms(String question) {
            return bigrams(question);
        }

        @Override
        public double weight(String term) {
            return 1.0;
        }
    };

    /** The question's key terms: folded (simplified), lower-cased, without repeats. */
    List<String> terms(String question);

    /** The weight of a term; &gt; 0. */
    double weight(String term);

    /** {@link #weight} of each term, in order (an index reads all their statistics at once). */
    default double[] weights(List<String> terms) {
        double[] weights = new double[terms.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = weight(terms.get(i));
        }
        return weights;
    }

    /**
     * The index's own view: smartcn words of the question (as the index's word field segments it; single
     * function characters dropped), each weighted by its BM25 inverse document frequency among the index's chunks,
     * {@code ln(1 + (N - df + 0.5) / (df + 0.5))}. A word no chunk contains weighs the most, so a question about
     * something the documents never mention is not taken as answered by its common words. Falls back to
     * {@link #BIGRAMS} for a question with no such word.
     */
    static KeyTerms ofIndex(ChunkStore index) {
        Analyzer words = ChineseAnalyzers.words();
        return new KeyTerms() {
            @Override
            public List<String> terms(String question) {
                Set<String> terms = new LinkedHashSet<>();
                try (TokenStream stream = words.tokenStream(IndexFields.WORDS, question)) {
                    CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
                    stream.reset();
                    while (stream.incrementToken()) {
                        String t = term.toString().toLowerCase(Locale.ROOT);
                        if (t.isEmpty() || t.length() == 1 && STOP_CHARS.indexOf(t.charAt(0)) >= 0
                                || !Character.isLetterOrDigit(t.charAt(0))) {
                            continue;
                        }
                        if (t.codePoints().allMatch(c -> STOP_CHARS.indexOf(c) >= 0)
                                || t.codePoints().anyMatch(c -> QUESTION_CHARS.indexOf(c) >= 0)
                                || isHowMuch(t)) {
                            continue; // 什么, 多少, 如何, 哪里, 为什么, 多久…
                        }
                        terms.add(t);
                    }
                    stream.end();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return terms.isEmpty() ? bigrams(question) : new ArrayList<>(terms);
            }

            @Override
            public double weight(String term) {
                return weights(List.of(term))[0];
            }

            /** One snapshot and three reads for all terms (on Solr three requests, not three per term). */
            @Override
            public double[] weights(List<String> terms) {
                try (SearchSnapshot snapshot = index.snapshot()) {
                    long chunks = snapshot.documentCount(IndexFields.WORDS);
                    long[] inWords = snapshot.documentFrequencies(IndexFields.WORDS, terms);
                    long[] inBigrams = snapshot.documentFrequencies(IndexFields.BIGRAMS, terms);
                    double[] weights = new double[terms.size()];
                    for (int i = 0; i < weights.length; i++) {
                        long df = Math.max(inWords[i], inBigrams[i]);
                        weights[i] = Math.log(1 + (chunks - df + 0.5) / (df + 0.5));
                    }
                    return weights;
                } catch (IOException e) {
                    throw new UncheckedIOException("reading term statistics of the index failed", e);
                }
            }
        };
    }

    /** "多久", "多长"…: {@link #HOW_MUCH_CHARS}. */
    private static boolean isHowMuch(String word) {
        return word.length() == 2 && word.charAt(0) == '多' && HOW_MUCH_CHARS.indexOf(word.charAt(1)) >= 0;
    }

    /** See {@link #BIGRAMS}. */
    static List<String> bigrams(String question) {
        String text = ChineseTextNormalizer.fold(question).toLowerCase(Locale.ROOT);
        Set<String> bigrams = new LinkedHashSet<>();
        Set<String> singles = new LinkedHashSet<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
                flush(word, bigrams);
                if (STOP_CHARS.indexOf(c) < 0) {
                    singles.add(String.valueOf(c));
                    char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
                    if (Character.UnicodeScript.of(next) == Character.UnicodeScript.HAN
                            && STOP_CHARS.indexOf(next) < 0) {
                        bigrams.add(text.substring(i, i + 2));
                    }
                }
            } else if (Character.isLetterOrDigit(c)) {
                word.append(c);
            } else {
                flush(word, bigrams);
            }
        }
        flush(word, bigrams);
        return new ArrayList<>(bigrams.isEmpty() ? singles : bigrams);
    }

    private static void flush(StringBuilder word, Set<String> terms) {
        if (word.length() > 0) {
            terms.add(word.toString());
            word.setLength(0);
        }
    }
}
