package io.yinghuo.retrieval.index;

import java.util.Objects;

/**
 * One chunk as the index stores it, with what a citation needs.
 *
 * @param index 0-based position in its document
 * @param start start offset of the chunk in the document's parsed text (UTF-16 chars, inclusive)
 * @param end end offset (exclusive)
 * @param text the chunk text, {@code documentText.substring(start, end)}
 * @param page page where the chunk starts (1-based; 1 for formats without pages)
 * @param headingPath heading path where the chunk starts, "" when none
 */
public record ChunkRecord(int index, int start, int end, String text, int page, String headingPath) {

    public ChunkRecord {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(headingPath, "headingPath");
        if (index < 0 || start < 0 || end < start) {
            throw new IllegalArgumentException("bad chunk bounds: index " + index + ", [" + start + ", " + end + ")");
        }
    }
}
