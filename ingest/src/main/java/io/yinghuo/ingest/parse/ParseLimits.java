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
 * @param budgetMillisPerMegabyte how long parsing one document may take, per started megabyte of the file
 *     ({@link ParseBudget}; OCR excluded)
 * @param budgetBytesPerMegabyte how many bytes parsing one document may allocate, per started megabyte of the file
 * @param ocrDrawMillis how long drawing one scanned PDF page for OCR may take (outside the file's budget; it may
 *     allocate {@code budgetBytesPerMegabyte})
 */
public record ParseLimits(long maxBytes, long maxExpandedBytes, int maxCharacters, int ocrMaxPages,
                          long ocrMaxPixels, long budgetMillisPerMegabyte, long budgetBytesPerMegabyte,
                          long ocrDrawMillis) {

    public static final long DEFAULT_MAX_BYTES = 100L << 20;
    public static final long DEFAULT_MAX_EXPANDED_BYTES = 512L << 20;
    public static final int DEFAULT_MAX_CHARACTERS = 50_000_000;
    /** 300 pages at the 10–40 pages a minute one core recognises: at most half an hour for one scan. */
    public static final int DEFAULT_OCR_MAX_PAGES = 300;
    /**
     * 24 million: an A4 page at about 500 dpi (3.9 million at 200 dpi, the resolution pages are rendered at); a
     * decoded colour image of that size takes 72 MB.
     */
    public static final long DEFAULT_OCR_MAX_PIXELS = 24_000_000L;
    /**
     * 5 s per megabyte: a typical 1 MB PDF or DOCX parses in well under a second on one core, so this leaves room
     * for a slow, shared machine while a file built to stall the server gives up within seconds.
     */
    public static final long DEFAULT_BUDGET_MILLIS_PER_MEGABYTE = 5_000;
    /**
     * 2 GB allocated per megabyte. Allocation, not what stays reachable (the JVM cannot say that of one thread), so
     * garbage counts too: PDFBox allocates 380–530 times the size of real text PDFs while reading them (measured on
     * two manuals of 137 and 256 KB), markdown about 70 times. 256 MB per megabyte would refuse ordinary PDFs from
     * about 600 KB; this leaves four times the measured need. What a parse keeps is bounded by the structural caps
     * (pages, nesting, characters, expanded bytes) that run before the big allocations.
     */
    public static final long DEFAULT_BUDGET_BYTES_PER_MEGABYTE = 2048L << 20;
    /**
     * 60 s: an A4 page draws at 200 dpi in well under a second, but in several on a machine shared by busy
     * processes; a page that draws for a minute was made to (thousands of full-page shadings).
     */
    public static final long DEFAULT_OCR_DRAW_MILLIS = 60_000;

    public ParseLimits {
        if (maxBytes <= 0 || maxExpandedBytes <= 0 || maxCharacters <= 0 || ocrMaxPages < 0 || ocrMaxPixels <= 0
                || budgetMillisPerMegabyte <= 0 || budgetBytesPerMegabyte <= 0 || ocrDrawMillis <= 0) {
            throw new IllegalArgumentException("parse limits must be positive, got maxBytes=" + maxBytes
                    + ", maxExpandedBytes=" + maxExpandedBytes + ", maxCharacters=" + maxCharacters
                    + ", ocrMaxPages=" + ocrMaxPages + ", ocrMaxPixels=" + ocrMaxPixels
                    + ", budgetMillisPerMegabyte=" + budgetMillisPerMegabyte
                    + ", budgetBytesPerMegabyte=" + budgetBytesPerMegabyte + ", ocrDrawMillis=" + ocrDrawMillis);
        }
    }

    /** With the default time for drawing a scanned page. */
    public ParseLimits(long maxBytes, long maxExpandedBytes, int maxCharacters, int ocrMaxPages, long ocrMaxPixels,
                       long budgetMillisPerMegabyte, long budgetBytesPerMegabyte) {
        this(maxBytes, maxExpandedBytes, maxCharacters, ocrMaxPages, ocrMaxPixels, budgetMillisPerMegabyte,
                budgetBytesPerMegabyte, DEFAULT_OCR_DRAW_MILLIS);
    }

    /** With the default parse budget. */
    public ParseLimits(long maxBytes, long maxExpandedBytes, int maxCharacters, int ocrMaxPages, long ocrMaxPixels) {
        this(maxBytes, maxExpandedBytes, maxCharacters, ocrMaxPages, ocrMaxPixels, DEFAULT_BUDGET_MILLIS_PER_MEGABYTE,
                DEFAULT_BUDGET_BYTES_PER_MEGABYTE);
    }

    /** With the default OCR limits. */
    public ParseLimits(long maxBytes, long maxExpandedBytes, int maxCharacters) {
        this(maxBytes, maxExpandedBytes, maxCharacters, DEFAULT_OCR_MAX_PAGES, DEFAULT_OCR_MAX_PIXELS);
    }

    /**
     * 100 MiB per file, 512 MiB expanded, 50 million characters, OCR of at most 300 pages (system property
     * {@code yinghuo.ocr.maxPages}) of at most 24 million pixels each, and a parse budget of 5 s and 2 GB
     * allocated per megabyte of the file.
     */
    public static ParseLimits defaults() {
        return new ParseLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_EXPANDED_BYTES, DEFAULT_MAX_CHARACTERS,
                Integer.getInteger("yinghuo.ocr.maxPages", DEFAULT_OCR_MAX_PAGES), DEFAULT_OCR_MAX_PIXELS);
    }

    public ParseLimits withMaxBytes(long value) {
        return new ParseLimits(value, maxExpandedBytes, maxCharacters, ocrMaxPages, ocrMaxPixels, budgetMillisPerMegabyte,
                budgetBytesPerMegabyte, ocrDrawMillis);
    }

    public ParseLimits withMaxExpandedBytes(long value) {
        return new ParseLimits(maxBytes, value, maxCharacters, ocrMaxPages, ocrMaxPixels, budgetMillisPerMegabyte,
                budgetBytesPerMegabyte, ocrDrawMillis);
    }

    public ParseLimits withMaxCharacters(int value) {
        return new ParseLimits(maxBytes, maxExpandedBytes, value, ocrMaxPages, ocrMaxPixels, budgetMillisPerMegabyte,
                budgetBytesPerMegabyte, ocrDrawMillis);
    }

    public ParseLimits withOcrMaxPages(int value) {
        return new ParseLimits(maxBytes, maxExpandedBytes, maxCharacters, value, ocrMaxPixels, budgetMillisPerMegabyte,
                budgetBytesPerMegabyte, ocrDrawMillis);
    }

    public ParseLimits withOcrMaxPixels(long value) {
        return new ParseLimits(maxBytes, maxExpandedBytes, maxCharacters, ocrMaxPages, value, budgetMillisPerMegabyte,
                budgetBytesPerMegabyte, ocrDrawMillis);
    }

    /** A copy whose parse budget allows {@code millis} and {@code bytes} allocated per megabyte of a file. */
    public ParseLimits withBudgetPerMegabyte(long millis, long bytes) {
        return new ParseLimits(maxBytes, maxExpandedBytes, maxCharacters, ocrMaxPages, ocrMaxPixels, millis, bytes,
                ocrDrawMillis);
    }

    /** A copy in which drawing one scanned PDF page for OCR may take {@code millis}. */
    public ParseLimits withOcrDrawMillis(long millis) {
        return new ParseLimits(maxBytes, maxExpandedBytes, maxCharacters, ocrMaxPages, ocrMaxPixels,
                budgetMillisPerMegabyte, budgetBytesPerMegabyte, millis);
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
