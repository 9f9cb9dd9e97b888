package io.yinghuo.retrieval.analysis;

import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;
import org.apache.lucene.analysis.cn.smart.WordType;
import org.apache.lucene.analysis.cn.smart.hhmm.HHMMSegmenter;
import org.apache.lucene.analysis.cn.smart.hhmm.SegToken;
import org.apache.lucene.analysis.cn.smart.hhmm.SegTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.apache.lucene.analysis.util.SegmentingTokenizerBase;

import java.text.BreakIterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * smartcn word segmentation, token for token what {@link HMMChineseTokenizer} produces, with a small cache of
 * recently segmented sentences.
 *
 * <p>Why: smartcn segments each sentence on its own (HMM over a sentence's word graph), and it is by far the most
 * expensive step of ingestion. The same sentences reach it again and again within one document: consecutive chunks
 * share their overlap sentences (up to a fifth of a chunk), and the document title and heading path are indexed with
 * every chunk. A sentence's words depend only on the sentence, so reusing them is exact. The cache belongs to this
 * tokenizer instance, and Lucene reuses one instance per thread and field, so it needs no locking and sees one
 * document's chunks in a row.
 *
 * <p>Like {@code HMMChineseTokenizer}: sentences from the JDK sentence break iterator (root locale), the segmenter's
 * begin/end markers dropped, letter and digit runs given their original characters before smartcn's token filter
 * (full-width to half-width, lower case, one symbol for all punctuation), type {@code "word"}.
 */
public final class CachingWordTokenizer extends SegmentingTokenizerBase {

    /** Sentences remembered; a document's chunks revisit only the last few, so this is plenty. */
    static final int CACHED_SENTENCES = 256;
    /** Longer sentences are rare and unlikely to repeat; they are segmented without being kept. */
    private static final int MAX_CACHED_SENTENCE_CHARS = 2048;

    private static final BreakIterator SENTENCE_PROTOTYPE = BreakIterator.getSentenceInstance(Locale.ROOT);

    private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offsetAtt = addAttribute(OffsetAttribute.class);
    private final TypeAttribute typeAtt = addAttribute(TypeAttribute.class);

    private final HHMMSegmenter segmenter = new HHMMSegmenter();
    private final SegTokenFilter tokenFilter = new SegTokenFilter();
    private final Map<String, SentenceWords> cache = new LinkedHashMap<>(CACHED_SENTENCES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SentenceWords> eldest) {
            return size() > CACHED_SENTENCES;
        }
    };

    private SentenceWords sentence;
    private int sentenceStart;
    private int nextWord;

    public CachingWordTokenizer() {
        super(DEFAULT_TOKEN_ATTRIBUTE_FACTORY, (BreakIterator) SENTENCE_PROTOTYPE.clone());
    }

    @Override
    protected void setNextSentence(int sentenceStart, int sentenceEnd) {
        String text = new String(buffer, sentenceStart, sentenceEnd - sentenceStart);
        SentenceWords words = cache.get(text);
        if (words == null) {
            words = segment(text);
            if (text.length() <= MAX_CACHED_SENTENCE_CHARS) {
                cache.put(text, words);
            }
        }
        this.sentence = words;
        this.sentenceStart = offset + sentenceStart;
        this.nextWord = 0;
    }

    @Override
    protected boolean incrementWord() {
        if (sentence == null || nextWord >= sentence.terms.length) {
            return false;
        }
        clearAttributes();
        char[] term = sentence.terms[nextWord];
        termAtt.copyBuffer(term, 0, term.length);
        offsetAtt.setOffset(correctOffset(sentenceStart + sentence.starts[nextWord]),
                correctOffset(sentenceStart + sentence.ends[nextWord]));
        typeAtt.setType("word");
        nextWord++;
        return true;
    }

    @Override
    public void reset() throws java.io.IOException {
        super.reset();
        sentence = null;
    }

    /** The words of one sentence, offsets relative to the sentence. */
    private SentenceWords segment(String text) {
        List<SegToken> path = segmenter.process(text);
        // The path starts and ends with the segmenter's sentence-begin and sentence-end markers.
        int count = Math.max(0, path.size() - 2);
        SentenceWords words = new SentenceWords(count);
        for (int i = 0; i < count; i++) {
            SegToken token = path.get(i + 1);
            switch (token.wordType) {
                case WordType.STRING, WordType.NUMBER, WordType.FULLWIDTH_STRING, WordType.FULLWIDTH_NUMBER ->
                    // The word graph holds one placeholder for every letter or digit run; take the real characters.
                        token.charArray = text.substring(token.startOffset, token.endOffset).toCharArray();
                default -> {
                }
            }
            token = tokenFilter.filter(token);
            words.terms[i] = token.charArray;
            words.starts[i] = token.startOffset;
            words.ends[i] = token.endOffset;
        }
        return words;
    }

    private static final class SentenceWords {
        final char[][] terms;
        final int[] starts;
        final int[] ends;

        SentenceWords(int count) {
            terms = new char[count][];
            starts = new int[count];
            ends = new int[count];
        }
    }
}
