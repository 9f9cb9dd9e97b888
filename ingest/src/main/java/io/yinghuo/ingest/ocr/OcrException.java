package io.yinghuo.ingest.ocr;

/** One page could not be recognised (the engine failed, timed out or could not read the image). */
public final class OcrException extends Exception {

    public OcrException(String message) {
        super(message);
    }

    public OcrException(String message, Throwable cause) {
        super(message, cause);
    }
}
