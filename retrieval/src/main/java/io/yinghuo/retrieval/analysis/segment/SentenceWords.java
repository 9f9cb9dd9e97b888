package io.yinghuo.retrieval.analysis.segment;

/**
 * The words of one sentence as smartcn's tokenizer emits them: terms after smartcn's token filter (letters lower
 * case and half width, every punctuation mark ","), offsets relative to the sentence. Immutable once built.
 */
public final class SentenceWords {

    private final char[][] terms;
    private final int[] starts;
    private final int[] ends;

    SentenceWords(char[][] terms, int[] starts, int[] ends) {
        this.terms = terms;
        this.starts = starts;
        this.ends = ends;
    }

    public int size() {
        return terms.length;
    }

    /** The term of word {@code i}; callers must not change it. */
    public char[] term(int i) {
        return terms[i];
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }
}
