package io.yinghuo.web.documents;

import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.io.IOException;
import java.util.List;

/**
 * A range of a document's parsed text, rebuilt from its indexed chunks, for the "open the passage in context" view.
 *
 * <p>Why from the chunks: citation offsets point into the text the chunks were cut from, and the chunker guarantees
 * every non-whitespace character lies in some chunk with {@code text == documentText.substring(start, end)}. So the
 * chunks reproduce the text exactly, except whitespace between two chunks (offsets stay exact: the first character
 * of such a run becomes a line break, the rest spaces). Re-parsing the original instead could drift from the index
 * if a parser changed since ingestion.
 */
public final class DocumentText {

    /** Most characters one request returns. */
    public static final int MAX_CHARS = 20_000;

    /**
     * @param text the characters of [start, end)
     * @param pages for each chunk overlapping the range: page and chunk offsets, so the view can label pages
     */
    public record Range(String docId, int start, int end, int totalChars, String text, List<PageMark> pages) {
    }

    /** Where a page begins inside a returned range (first chunk of that page in the range). */
    public record PageMark(int page, int offset) {
    }

    private DocumentText() {
    }

    /** The text of [start, end) clamped to the document and to {@link #MAX_CHARS}. */
    public static Range read(ChunkStore index, DocumentRecord document, int start, int end) throws IOException {
        int total = document.charCount();
        int from = Math.max(0, Math.min(start, total));
        int to = Math.max(from, Math.min(end, total));
        if (to - from > MAX_CHARS) {
            to = from + MAX_CHARS;
        }
        char[] text = new char[to - from];
        boolean[] covered = new boolean[text.length];
        List<ChunkRecord> chunks = index.chunks(document.docId());
        List<PageMark> pages = new java.util.ArrayList<>();
        int lastPage = -1;
        for (ChunkRecord chunk : chunks) {
            int a = Math.max(chunk.start(), from);
            int b = Math.min(chunk.end(), to);
            if (a >= b) {
                continue;
            }
            chunk.text().getChars(a - chunk.start(), b - chunk.start(), text, a - from);
            java.util.Arrays.fill(covered, a - from, b - from, true);
            if (chunk.page() != lastPage) {
                pages.add(new PageMark(chunk.page(), a - from));
                lastPage = chunk.page();
            }
        }
        for (int i = 0; i < text.length; i++) {
            if (!covered[i]) {
                // whitespace between chunks: a line break where the run begins, spaces for the rest
                text[i] = i == 0 || covered[i - 1] ? '\n' : ' ';
            }
        }
        return new Range(document.docId(), from, to, total, new String(text), pages);
    }
}
