package io.yinghuo.retrieval.analysis;

import org.apache.lucene.analysis.CharFilter;

import java.io.IOException;
import java.io.Reader;

/**
 * Applies {@link ChineseTextNormalizer} while reading. Every character maps to exactly one character, so token
 * offsets need no correction ({@link #correct} is the identity) and point into the original text.
 */
public final class FoldingCharFilter extends CharFilter {

    public FoldingCharFilter(Reader input) {
        super(input);
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int read = input.read(buffer, offset, length);
        if (read > 0) {
            ChineseTextNormalizer.foldInPlace(buffer, offset, read);
        }
        return read;
    }

    @Override
    protected int correct(int currentOff) {
        return currentOff;
    }
}
