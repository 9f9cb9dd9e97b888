package io.yinghuo.web.documents;

import io.yinghuo.retrieval.index.DocumentRecord;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where the words of a page recognised by OCR lie on the page, so that the document viewer can highlight a cited
 * passage on a scan, which has no text layer of its own ({@code GET /api/documents/{id}/pages/{n}/boxes}).
 *
 * <p>The contract the ingest side fills: {@code words[i].start/end} are UTF-16 offsets into the document's parsed
 * text (the offsets of citations and chunks), {@code text.substring(start, end)} is the word; boxes are in the
 * page's {@code unit} with (x, y) the top-left corner measured from the top-left corner of the page as displayed
 * (for a PDF: points of the crop box, after the page's rotation; for an image: its pixels); {@code width} and
 * {@code height} are the page's size in that unit.
 */
@FunctionalInterface
public interface PageBoxes {

    /** No page has boxes. */
    PageBoxes NONE = (document, page) -> Optional.empty();

    /** The recognised words of {@code page} (from 1) of {@code document}; empty when the page has none. */
    Optional<Page> page(DocumentRecord document, int page) throws IOException;

    /**
     * The numbers of the pages of {@code document} that have boxes, in order; empty when none has (the viewer then
     * asks for none).
     */
    default List<Integer> pages(DocumentRecord document) throws IOException {
        return List.of();
    }

    /** One page's words, in reading order. */
    record Page(int page, float width, float height, String unit, List<Word> words) {

        public Page {
            words = List.copyOf(words);
        }
    }

    /** One word: characters [start, end) of the parsed text, in the box at (x, y) of size w × h. */
    record Word(int start, int end, float x, float y, float w, float h) {
    }
}
