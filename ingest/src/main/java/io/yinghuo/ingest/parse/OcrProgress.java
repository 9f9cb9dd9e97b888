package io.yinghuo.ingest.parse;

/** Hears about each page OCR has recognised, so that a long scan shows it is moving. Called on the parsing thread. */
@FunctionalInterface
public interface OcrProgress {

    /**
     * @param done pages recognised so far in this document
     * @param total pages this document will have recognised (after the page limit)
     * @param characters characters of text parsed so far
     */
    void pageRecognised(int done, int total, int characters);

    OcrProgress NONE = (done, total, characters) -> { };
}
