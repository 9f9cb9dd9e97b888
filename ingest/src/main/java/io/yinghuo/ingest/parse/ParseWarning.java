package io.yinghuo.ingest.parse;

import java.util.List;

/**
 * Something the user should know about a document that was read all the same: pages the file declares but does not
 * hold, scanned pages left unread, an image reduced for recognition, bytes that were not valid in the detected
 * charset. Each warning carries a stable {@code code} and the values its text names, so that a front end can say it in
 * the user's language; {@code text} is the English wording.
 *
 * @param code machine-readable kind, e.g. {@code pdf_pages_missing}
 * @param args the values the text names, in the order the code's wording uses them
 * @param text the English wording
 */
public record ParseWarning(String code, List<String> args, String text) {

    public ParseWarning {
        args = List.copyOf(args);
    }

    private static ParseWarning of(String code, String text, Object... args) {
        return new ParseWarning(code, java.util.Arrays.stream(args).map(String::valueOf).toList(), text);
    }

    /** The page tree counts more (or fewer) pages than it holds; the pages it holds were read. */
    static ParseWarning pdfPagesMissing(long declared, int held) {
        return of("pdf_pages_missing", "the PDF declares " + declared + " pages but holds " + held
                + "; those were read", declared, held);
    }

    /** Scanned pages that could not be recognised because OCR is not installed. */
    static ParseWarning scannedPagesNotRead(String pages, int count, String why) {
        return of("scanned_pages_not_read", (count == 1 ? "page " + pages + " looks scanned and was"
                : "pages " + pages + " look scanned and were") + " not read: " + why, pages);
    }

    /** The OCR page cap stopped recognition before the last scanned page. */
    static ParseWarning ocrPageLimit(int recognised, int scanned, String unread) {
        return of("ocr_page_limit", "only the first " + recognised + " of " + scanned
                + " scanned pages were recognised (OCR page limit); pages " + unread + " were not read",
                recognised, scanned, unread);
    }

    /** Pages whose recognition failed while the others were read. */
    static ParseWarning pagesNotRecognised(String pages, int count, String detail) {
        return of("pages_not_recognised", (count == 1 ? "page " : "pages ") + pages + " could not be recognised"
                + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"), pages);
    }

    /** Pages that hold no text (and are not scans), in a document that has text elsewhere. */
    static ParseWarning pagesWithoutText(String pages, int count) {
        return of("pages_without_text", (count == 1 ? "page " : "pages ") + pages
                + (count == 1 ? " has" : " have") + " no text", pages);
    }

    /** An animated GIF: only its first frame is a page. */
    static ParseWarning animatedImage() {
        return of("image_animated", "the image is animated: only its first frame was read");
    }

    /** A multi-page image (TIFF) longer than the OCR page cap. */
    static ParseWarning imagePageLimit(int recognised, int frames) {
        return of("image_page_limit", "only the first " + recognised + " of " + frames
                + " pages were recognised (OCR page limit)", recognised, frames);
    }

    /** An image too large to recognise at full size, subsampled by {@code factor}. */
    static ParseWarning imageReduced(int page, int width, int height, int factor) {
        return of("image_reduced", (page > 0 ? "page " + page + ": " : "") + "the image (" + width + " × " + height
                + " pixels) was reduced to 1/" + factor + " of its size for recognition", width, height, factor);
    }

    /** Frames of a multi-page image that could not be decoded. */
    static ParseWarning imagePagesUnreadable(String pages, int count) {
        return of("image_pages_unreadable", (count == 1 ? "page " : "pages ") + pages + " could not be read", pages);
    }

    /** Byte sequences invalid in the detected charset, each replaced by U+FFFD. */
    static ParseWarning invalidBytes(int count, String charset) {
        return of("invalid_bytes", count + " byte sequence(s) were not valid " + charset
                + " and were replaced by \uFFFD", count, charset);
    }

    /** The name says one format, the content is unambiguously another, which was used. */
    static ParseWarning formatByContent(String extension, String sniffed) {
        return of("format_by_content", "the file is named ." + (extension.isEmpty() ? "(none)" : extension)
                + " but its content is " + sniffed.toUpperCase(java.util.Locale.ROOT) + "; read as " + sniffed,
                extension.isEmpty() ? "(none)" : extension, sniffed.toUpperCase(java.util.Locale.ROOT));
    }
}
