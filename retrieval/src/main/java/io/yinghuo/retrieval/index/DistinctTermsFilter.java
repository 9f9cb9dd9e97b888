package io.yinghuo.retrieval.index;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TermFrequencyAttribute;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Index-time only, for fields indexed without positions: emits each distinct term of a field value once, at its
 * first occurrence, with the number of occurrences as its term frequency ({@link TermFrequencyAttribute}).
 *
 * <p>Why: Lucene looks every token up in its in-memory term hash, and those lookups (cache misses into the term
 * bytes) were the largest single cost of indexing; a chunk repeats a third of its words and a sixth of its bigrams.
 * What the index stores is the same: Lucene adds the term frequency to the field length, so norms, term frequencies
 * and BM25 scores are unchanged ({@code ChunkIndexTest} compares scores with an index written token by token).
 * Tokens stacked on the previous position (increment 0) pass through one by one, so that Lucene's overlap count,
 * which BM25 subtracts from the length, stays the same too.
 */
final class DistinctTermsFilter extends TokenFilter {

    private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offsetAtt = addAttribute(OffsetAttribute.class);
    private final PositionIncrementAttribute positionAtt = addAttribute(PositionIncrementAttribute.class);
    private final TermFrequencyAttribute frequencyAtt = addAttribute(TermFrequencyAttribute.class);

    /** A term to emit: first start and end offsets, count, and whether it is a stacked token. */
    private static final class Entry {
        final String term;
        final int start;
        final int end;
        final boolean stacked;
        int count = 1;

        Entry(String term, int start, int end, boolean stacked) {
            this.term = term;
            this.start = start;
            this.end = end;
            this.stacked = stacked;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byTerm = new HashMap<>();
    private boolean collected;
    private int next;

    DistinctTermsFilter(TokenStream input) {
        super(input);
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (!collected) {
            collect();
        }
        if (next >= entries.size()) {
            return false;
        }
        Entry entry = entries.get(next++);
        clearAttributes();
        termAtt.setEmpty().append(entry.term);
        offsetAtt.setOffset(entry.start, entry.end);
        positionAtt.setPositionIncrement(entry.stacked ? 0 : 1);
        frequencyAtt.setTermFrequency(entry.count);
        return true;
    }

    private void collect() throws IOException {
        collected = true;
        while (input.incrementToken()) {
            String term = termAtt.toString();
            if (positionAtt.getPositionIncrement() == 0) {
                entries.add(new Entry(term, offsetAtt.startOffset(), offsetAtt.endOffset(), true));
                continue;
            }
            Entry entry = byTerm.get(term);
            if (entry != null) {
                entry.count++;
            } else {
                entry = new Entry(term, offsetAtt.startOffset(), offsetAtt.endOffset(), false);
                byTerm.put(term, entry);
                entries.add(entry);
            }
        }
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        entries.clear();
        byTerm.clear();
        collected = false;
        next = 0;
    }
}
