package io.yinghuo.ingest.parse;

/**
 * Turns the bytes of one file of a given format into a {@link ParsedDocument}. Implementations are stateless and
 * thread-safe; they receive non-empty input within {@link ParseLimits#maxBytes()} (checked by
 * {@link DocumentParsers}).
 */
public interface DocumentParser {

    /** The format name this parser puts into {@link ParsedDocument#format()}, e.g. "pdf". */
    String format();

    /**
     * @param fileName the upload's name, for messages and as a fallback title
     * @throws DocumentParseException with a user-facing message when this file cannot be parsed
     */
    ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException;

    /** As {@link #parse(String, byte[])}, telling {@code progress} about each page recognised by OCR. */
    default ParsedDocument parse(String fileName, byte[] bytes, OcrProgress progress) throws DocumentParseException {
        return parse(fileName, bytes);
    }
}
