package io.yinghuo.retrieval.search;

/** A matched span, [start, end) in UTF-16 chars, relative to the text it belongs to. */
public record Highlight(int start, int end) {

    public Highlight {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad highlight [" + start + ", " + end + ")");
        }
    }
}
