package io.yinghuo.retrieval.analysis;

import io.yinghuo.retrieval.analysis.segment.SentenceWords;
import io.yinghuo.retrieval.analysis.segment.SmartcnSegmenter;
import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.apache.lucene.analysis.util.SegmentingTokenizerBase;

import java.text.BreakIterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * smartcn word segmentation, token for token what {@link HMMChineseTokenizer} produces, computed by our
 * {@link SmartcnSegmenter} (the same model over faster tables), with a small cache of recently segmented sentences.
 *
 * <p>Why the cache: smartcn segments each sentence on its own (HMM over a sentence's word graph), and it is the
 * most expensive step of analysis. The same sentences reach it again and again within one document: consecutive
 * chunks share their overlap sentences (up to a fifth of a chunk), and the document title and heading path are
 * indexed with every chunk. A sentence's words depend only on the sentence, so reusing them is exact. The cache belongs to this
 * tokenizer instance, and Lucene reuses one instance per thread and field, so it needs no locking and sees one
 * document's chunks in a row.
 *
 * <p>Like {@code HMMChineseTokenizer}: sentences from the JDK sentence break iterator (root locale), type
 * {@code "word"}.
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

    private final SmartcnSegmenter segmenter = new SmartcnSegmenter();
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
            words = segmenter.segment(text);
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
        if (sentence == null || nextWord >= sentence.size()) {
            return false;
        }
        clearAttributes();
        char[] term = sentence.term(nextWord);
        termAtt.copyBuffer(term, 0, term.length);
        offsetAtt.setOffset(correctOffset(sentenceStart + sentence.start(nextWord)),
                correctOffset(sentenceStart + sentence.end(nextWord)));
        typeAtt.setType("word");
        nextWord++;
        return true;
    }

    @Override
    public void reset() throws java.io.IOException {
        super.reset();
        sentence = null;
    }
}
