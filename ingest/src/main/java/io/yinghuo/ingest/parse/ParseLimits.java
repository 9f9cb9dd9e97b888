package io.yinghuo.ingest.parse;

/**
 * Bounds that keep one hostile or oversized upload from exhausting memory.
 *
 * @param maxBytes largest accepted file (bytes as uploaded)
 * @param maxExpandedBytes largest total uncompressed size of a zip-based document (DOCX, XLSX, PPTX); larger ones are
 *     refused as probable zip bombs. Also bounds a single entry.
 * @param maxCharacters most characters of text one document may produce
 * @param ocrMaxPages most pages of one document that are recognised by OCR (a scan's later pages are skipped, and
 *     the document says so in a warning): bounds how long one scan holds an ingest worker
 * @param ocrMaxPixels most pixels of one page image handed to OCR; a page is rendered, or an image decoded, at a
 *     lower resolution to fit (bounds memory: 8 bits per pixel)
 */
public record ParseLimits(long maxBytes, long maxExpandedBytes, int maxCharacters, int ocrMaxPages,
                          long ocrMaxPixels) {

    public static final long DEFAULT_MAX_BYTES = 100L << 20;
    public static final long DEFAULT_MAX_EXPANDED_BYTES = 512L << 20;
    public static final int DEFAULT_MAX_CHARACTERS = 50_000_000;
    /** 300 pages at the 10–40 pages a minute one core recognises: at most half an hour for one scan. */
    public static final int DEFAULT_OCR_MAX_PAGES = 300;
    /**
     * 24 million: an A4 page at about 500 dpi (8.7 million at 300 dpi, the resolution pages are rendered at); a
     * decoded colour image of that size takes 72 MB.
     */
    public static final long DEFAULT_OCR_MAX_PIXELS = 24_000_000L;

    public ParseLimits {
        if (maxBytes <= 0 || maxExpandedBytes <= 0 || maxCharacters <= 0 || ocrMaxPages < 0 || ocrMaxPixels <= 0) {
            throw new IllegalArgumentException("parse limits must be positive, got maxBytes=" + maxBytes
                    + ", maxExpandedBytes=" + maxExpandedBytes + ", maxCharacters=" + maxCharacters
                    + ", ocrMaxPages=" + ocrMaxPages + ", ocrMaxPixels=" + ocrMaxPixels);
        }
    }

    /** With the default OCR limits. */
    public ParseLimits(long maxBytes, long maxExpandedBytes, int maxCharacters) {
        this(maxBytes, maxExpandedBytes, maxCharacters, DEFAULT_OCR_MAX_PAGES, DEFAULT_OCR_MAX_PIXELS);
    }

    /**
     * 100 MiB per file, 512 MiB expanded, 50 million characters, OCR of at most 300 pages (system property
     * {@code yinghuo.ocr.maxPages}) of at most 24 million pixels each.
     */
    public static ParseLimits defaults() {
        return new ParseLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_EXPANDED_BYTES, DEFAULT_MAX_CHARACTERS,
                Integer.getInteger("yinghuo.ocr.maxPages", DEFAULT_OCR_MAX_PAGES), DEFAULT_OCR_MAX_PIXELS);
    }

    public ParseLimits withMaxBytes(long value) {
        return new ParseLimits(value, maxExpandedBytes, maxCharacters, ocrMaxPages, ocrMaxPixels);
    }

    public ParseLimits withMaxExpandedBytes(long value) {
        return new ParseLimits(maxBytes, value, maxCharacters, ocrMaxPages, ocrMaxPixels);
    }

    public ParseLimits withMaxCharacters(int value) {
        return new ParseLimits(maxBytes, maxExpandedBytes, value, ocrMaxPages, ocrMaxPixels);
    }

    public ParseLimits withOcrMaxPages(int value) {
        return new ParseLimits(maxBytes, maxExpandedBytes, maxCharacters, value, ocrMaxPixels);
    }

    public ParseLimits withOcrMaxPixels(long value) {
        return new ParseLimits(maxBytes, maxExpandedBytes, maxCharacters, ocrMaxPages, value);
    }

    /** A byte count for messages: "12.5 MB", "800 KB", "17 bytes". */
    static String describeBytes(long bytes) {
        if (bytes >= 1L << 20) {
            double mb = bytes / (double) (1L << 20);
            return (mb == Math.rint(mb) ? String.valueOf((long) mb) : String.format(java.util.Locale.ROOT, "%.1f", mb))
                    + " MB";
        }
        if (bytes >= 1L << 10) {
            return (bytes >> 10) + " KB";
        }
        return bytes + " bytes";
    }
}
