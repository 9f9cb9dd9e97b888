package io.yinghuo.ingest.parse;

import java.util.List;

/**
 * The text of one uploaded document and where its pages and headed sections lie in that text. Offsets are
 * UTF-16 char indexes into {@code text} (what the UI highlights); spans are half-open [start, end).
 *
 * @param title the document's own title (PDF/DOCX metadata, HTML title, first heading) or the file name
 * @param format the parser that produced it, e.g. "pdf", "docx", "text"
 * @param pages page spans in order (PDF); one span covering the whole text for formats without pages
 * @param sections heading-path spans in order (md/docx/html); may be empty
 * @param warnings things the user should know that did not stop parsing, e.g. "only the first 300 of 500 scanned
 *     pages were recognised" or "decoded as GB18030"; may be empty
 * @param ocrPages for each page whose text came from OCR, where each recognised word lies on the page and in
 *     {@code text}, so that a viewer can highlight a passage on the scan; empty when no page was recognised
 */
public record ParsedDocument(String text, String title, String format, List<PageSpan> pages,
                             List<Section> sections, List<ParseWarning> warnings, List<OcrPage> ocrPages) {

    public ParsedDocument {
        pages = List.copyOf(pages);
        sections = List.copyOf(sections);
        warnings = List.copyOf(warnings);
        ocrPages = List.copyOf(ocrPages);
    }

    /** A document without OCR pages. */
    public ParsedDocument(String text, String title, String format, List<PageSpan> pages, List<Section> sections,
                          List<ParseWarning> warnings) {
        this(text, title, format, pages, sections, warnings, List.of());
    }

    /** A document without warnings (the record's original shape). */
    public ParsedDocument(String text, String title, String format, List<PageSpan> pages, List<Section> sections) {
        this(text, title, format, pages, sections, List.of());
    }

    /** The warnings' English wording, in order (for logs and the command line). */
    public List<String> warningTexts() {
        return warnings.stream().map(ParseWarning::text).toList();
    }

    /** A page of the original: page numbers start at 1. */
    public record PageSpan(int page, int start, int end) {
    }

    /**
     * The recognised words of one page.
     *
     * @param page the page number (from 1), as in {@link PageSpan#page()}
     * @param width the page's width in {@code unit}
     * @param height the page's height in {@code unit}
     * @param unit "pt" (PDF points, 1/72 inch, of the page as displayed: crop box, after its rotation) for a PDF
     *     page, "px" (pixels of the original image) for an image
     * @param words in reading order
     */
    public record OcrPage(int page, float width, float height, String unit, List<WordBox> words) {

        public OcrPage {
            words = List.copyOf(words);
        }
    }

    /**
     * A recognised word: its text is {@code text.substring(start, end)}, its box has its top-left corner at (x, y)
     * from the page's top-left corner, in the page's unit.
     */
    public record WordBox(int start, int end, float x, float y, float width, float height) {
    }

    /** Text under a heading path such as {@code "第一章 总则 > 第二节 定义"}. */
    public record Section(String headingPath, int start, int end) {
    }
}
