package io.yinghuo.ingest.parse;

/**
 * One file could not be turned into text. The message is meant for the user as is, and always starts with the
 * (sanitised) file name, e.g. {@code "报告.pdf: the PDF is encrypted (password protected)"}; {@link #reason()} lets a
 * caller group failures without parsing messages. It concerns that file only: the next file may be parsed as usual.
 */
public class DocumentParseException extends Exception {

    /** Why a file was refused. */
    public enum Reason {
        /** Zero bytes, or only whitespace. */
        EMPTY,
        /** More bytes than {@link ParseLimits#maxBytes()}. */
        TOO_LARGE,
        /** No parser for the file's extension or content. */
        UNSUPPORTED_TYPE,
        /** Named as text but holds binary data. */
        BINARY,
        /** A PDF (or other document) that needs a password. */
        ENCRYPTED,
        /** Damaged or not what its extension says. */
        CORRUPT,
        /** A zip-based document that expands beyond {@link ParseLimits#maxExpandedBytes()}. */
        ZIP_BOMB,
        /** More text than {@link ParseLimits#maxCharacters()}. */
        TOO_MUCH_TEXT,
        /** Parsed, but no text came out (e.g. a blank scan, or one whose OCR found no text). */
        NO_TEXT,
        /** The file could not be read from disk. */
        UNREADABLE,
        /**
         * A scan or image that needs OCR, on a machine without Tesseract (or its Chinese models); the detail names
         * the packages to install.
         */
        OCR_UNAVAILABLE,
        /**
         * Built beyond what a real document needs: nested deeper than the parsers follow (lists, quotes, JSON, a
         * PDF's page tree) or with more pages than a PDF may have.
         */
        TOO_COMPLEX,
        /** Reading it took more time or memory than a file of its size may ({@link ParseBudget}). */
        OVER_BUDGET
    }

    private final String fileName;
    private final Reason reason;
    private final String detail;

    public DocumentParseException(String fileName, Reason reason, String detail) {
        this(fileName, reason, detail, null);
    }

    public DocumentParseException(String fileName, Reason reason, String detail, Throwable cause) {
        super(FileNames.safe(fileName) + ": " + detail, cause);
        this.fileName = FileNames.safe(fileName);
        this.reason = reason;
        this.detail = detail;
    }

    /** The sanitised name of the file concerned. */
    public String fileName() {
        return fileName;
    }

    public Reason reason() {
        return reason;
    }

    /** The message without the file name, e.g. "the PDF is encrypted (password protected)". */
    public String detail() {
        return detail;
    }
}
