package io.yinghuo.ingest.parse;

/** No parser handles this file's type (by extension, nor by sniffing its first bytes). */
public final class UnsupportedDocumentException extends DocumentParseException {

    public UnsupportedDocumentException(String fileName, String detail) {
        super(fileName, Reason.UNSUPPORTED_TYPE, detail);
    }
}
