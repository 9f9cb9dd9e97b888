package io.yinghuo.ingest.ocr;

import java.awt.image.BufferedImage;

/**
 * Recognises the text of one page image. Implementations are thread-safe: several ingest workers may recognise
 * pages at once.
 */
public interface OcrEngine {

    /**
     * Why this engine cannot run here (for example "the tesseract command was not found"), or null when it can.
     * Checked once per document, before any page is rendered, so that a machine without OCR refuses scans quickly.
     */
    String unavailableReason();

    /**
     * Recognises one decoded page image.
     *
     * @param dpi the image's resolution, which Tesseract uses to judge character sizes
     */
    RecognisedPage recognise(BufferedImage image, int dpi) throws OcrException, InterruptedException;

    /**
     * Recognises an image file the JDK cannot decode (WebP) by handing its bytes to the engine as they are.
     *
     * @throws OcrException when the engine cannot read that format either
     */
    RecognisedPage recognise(byte[] encodedImage, int dpi) throws OcrException, InterruptedException;

    /** An engine that is never available, with the given reason: what a machine without Tesseract gets. */
    static OcrEngine unavailable(String reason) {
        return new OcrEngine() {
            @Override
            public String unavailableReason() {
                return reason;
            }

            @Override
            public RecognisedPage recognise(BufferedImage image, int dpi) throws OcrException {
                throw new OcrException(reason);
            }

            @Override
            public RecognisedPage recognise(byte[] encodedImage, int dpi) throws OcrException {
                throw new OcrException(reason);
            }
        };
    }
}
