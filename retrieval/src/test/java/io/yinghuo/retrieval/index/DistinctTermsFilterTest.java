package io.yinghuo.retrieval.index;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TermFrequencyAttribute;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DistinctTermsFilterTest {

    @Test
    void eachDistinctTermOnceAtItsFirstOccurrenceWithItsCount() throws IOException {
        WhitespaceTokenizer tokenizer = new WhitespaceTokenizer();
        tokenizer.setReader(new StringReader("长江 黄河 长江 珠江 黄河 长江"));
        assertEquals(List.of("长江@0-2+1x3", "黄河@3-5+1x2", "珠江@9-11+1x1"), emitted(new DistinctTermsFilter(tokenizer)));
        // Reused for the next value, as Lucene does.
        tokenizer.setReader(new StringReader("淮河 淮河"));
        assertEquals(List.of("淮河@0-2+1x2"), emitted(new DistinctTermsFilter(tokenizer)));
    }

    @Test
    void stackedTokensPassThroughOneByOne() throws IOException {
        WhitespaceTokenizer tokenizer = new WhitespaceTokenizer();
        tokenizer.setReader(new StringReader("a b a b"));
        TokenStream stacked = new StackEveryB(tokenizer); // "b" also emitted stacked as "B"
        assertEquals(List.of("a@0-1+1x2", "b@2-3+1x2", "B@2-3+0x1", "B@6-7+0x1"),
                emitted(new DistinctTermsFilter(stacked)));
    }

    private static List<String> emitted(TokenStream stream) throws IOException {
        CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
        OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
        PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
        TermFrequencyAttribute frequency = stream.addAttribute(TermFrequencyAttribute.class);
        List<String> out = new ArrayList<>();
        stream.reset();
        while (stream.incrementToken()) {
            out.add(term + "@" + offset.startOffset() + "-" + offset.endOffset() + "+"
                    + increment.getPositionIncrement() + "x" + frequency.getTermFrequency());
        }
        stream.end();
        stream.close();
        return out;
    }

    /** After every "b", the same token again as "B" at the same position. */
    private static final class StackEveryB extends org.apache.lucene.analysis.TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
        private State pending;

        StackEveryB(TokenStream input) {
            super(input);
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (pending != null) {
                restoreState(pending);
                pending = null;
                term.setEmpty().append("B");
                increment.setPositionIncrement(0);
                return true;
            }
            if (!input.incrementToken()) {
                return false;
            }
            if (term.toString().equals("b")) {
                pending = captureState();
            }
            return true;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            pending = null;
        }
    }
}
