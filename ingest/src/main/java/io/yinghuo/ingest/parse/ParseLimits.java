package io.yinghuo.ingest.parse;

/**
 * Bounds that keep one hostile or oversized upload from exhausting memory.
 *
 * @param maxBytes largest accepted file (bytes as uploaded)
 * @param maxExpandedBytes largest total uncompressed size of a zip-based document (DOCX, XLSX, PPTX); larger ones are
 *     refused as probable zip bombs. Also bounds a single entry.
 * @param maxCharacters most characters of text one document may produce
 */
public record ParseLimits(long maxBytes, long maxExpandedBytes, int maxCharacters) {

    public static final long DEFAULT_MAX_BYTES = 100L << 20;
    public static final long DEFAULT_MAX_EXPANDED_BYTES = 512L << 20;
    public static final int DEFAULT_MAX_CHARACTERS = 50_000_000;

    public ParseLimits {
        if (maxBytes <= 0 || maxExpandedBytes <= 0 || maxCharacters <= 0) {
            throw new IllegalArgumentException("parse limits must be positive, got maxBytes=" + maxBytes
                    + ", maxExpandedBytes=" + maxExpandedBytes + ", maxCharacters=" + maxCharacters);
        }
    }

    /** 100 MiB per file, 512 MiB expanded, 50 million characters. */
    public static ParseLimits defaults() {
        return new ParseLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_EXPANDED_BYTES, DEFAULT_MAX_CHARACTERS);
    }

    public ParseLimits withMaxBytes(long value) {
        return new ParseLimits(value, maxExpandedBytes, maxCharacters);
    }

    public ParseLimits withMaxExpandedBytes(long value) {
        return new ParseLimits(maxBytes, value, maxCharacters);
    }

    public ParseLimits withMaxCharacters(int value) {
        return new ParseLimits(maxBytes, maxExpandedBytes, value);
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
