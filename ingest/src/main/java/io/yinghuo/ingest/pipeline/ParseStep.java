package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.parse.OcrProgress;
import io.yinghuo.ingest.parse.ParsedDocument;

/** Turns an uploaded file into text with pages and sections. A thrown exception's message is shown to the user. */
@FunctionalInterface
public interface ParseStep {

    ParsedDocument parse(String fileName, byte[] bytes) throws Exception;

    /**
     * As {@link #parse(String, byte[])}, telling {@code progress} about each page recognised by OCR (the pipeline
     * turns that into progress events, so that a long scan shows it is moving). Steps that never OCR keep the
     * default, which ignores it.
     */
    default ParsedDocument parse(String fileName, byte[] bytes, OcrProgress progress) throws Exception {
        return parse(fileName, bytes);
    }
}
