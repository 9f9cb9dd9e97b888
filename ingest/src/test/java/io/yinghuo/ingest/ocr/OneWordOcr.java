package io.yinghuo.ingest.ocr;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * An OCR engine for tests that need a scan's path through the parsers and the pipeline but not Tesseract: every page
 * it gets "holds" one word, boxed at (10, 20) in the page's own pixels (200 x 100 for a file it is handed whole).
 */
public final class OneWordOcr implements OcrEngine {

    public static final String WORD = "扫描文字";

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public RecognisedPage recognise(BufferedImage image, int dpi) {
        return page(image.getWidth(), image.getHeight());
    }

    @Override
    public RecognisedPage recognise(byte[] encodedImage, int dpi) {
        return page(200, 100);
    }

    private static RecognisedPage page(int width, int height) {
        return new RecognisedPage(width, height, List.of(new RecognisedWord(1, 1, 1, WORD, 10, 20, 40, 10, 95)));
    }
}
