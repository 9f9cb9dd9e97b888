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
 * @param warnings things the user should know that did not stop parsing, e.g. "page 3 has no extractable text
 *     (scanned image? OCR is not supported)" or "decoded as GB18030"; may be empty
 */
public record ParsedDocument(String text, String title, String format, List<PageSpan> pages,
                             List<Section> sections, List<String> warnings) {

    public ParsedDocument {
        pages = List.copyOf(pages);
        sections = List.copyOf(sections);
        warnings = List.copyOf(warnings);
    }

    /** A document without warnings (the record's original shape). */
    public ParsedDocument(String text, String title, String format, List<PageSpan> pages, List<Section> sections) {
        this(text, title, format, pages, sections, List.of());
    }

    /** A page of the original: page numbers start at 1. */
    public record PageSpan(int page, int start, int end) {
    }

    /** Text under a heading path such as {@code "第一章 总则 > 第二节 定义"}. */
    public record Section(String headingPath, int start, int end) {
    }
}
