package io.yinghuo.ingest.ocr;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolution page images are recognised at. Tesseract's Chinese LSTM models read characters best at 25–35
 * pixels tall, not at the 50 pixels 12 pt print has at 300 dpi: on eight CMRC 2018 pages of 12 pt Noto Serif SC,
 * downscaled before recognition, the character error rate was 4.67 % at 300 dpi (characters about 50 px tall),
 * 3.75 % at 250, 3.29 % at 200, 3.16 % at 150 and 4.76 % at 120 (20 px). 200 dpi puts body text of 9–14 pt at
 * 25–39 px, so smaller print than the measured 12 pt is not pushed under the best range, and recognition takes
 * about half the time it takes at 300 dpi. An image of known resolution above {@link #DPI} is scaled down to it
 * (bicubic); one of lower or unknown resolution is recognised as it is. The system property {@code yinghuo.ocr.dpi}
 * changes it (for print smaller than 9 pt, or to measure another resolution).
 */
public final class RecognitionResolution {

    /** 200 dpi, or the system property {@code yinghuo.ocr.dpi}. */
    public static final int DPI = Math.max(50, Integer.getInteger("yinghuo.ocr.dpi", 200));

    private RecognitionResolution() {
    }

    /** The scale an image of {@code dpi} dots per inch is recognised at (1 when unknown, 0, or not above DPI). */
    static double factor(int dpi) {
        return dpi > DPI ? (double) DPI / dpi : 1;
    }

    /** The image scaled by {@code factor}, in grey. */
    static BufferedImage scale(BufferedImage image, double factor) {
        int width = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return scaled;
    }

    /** The page's words with their boxes in the pixels of the original image of {@code width} × {@code height}. */
    static RecognisedPage inOriginalPixels(RecognisedPage page, double factor, int width, int height) {
        List<RecognisedWord> words = new ArrayList<>(page.words().size());
        for (RecognisedWord w : page.words()) {
            words.add(new RecognisedWord(w.block(), w.paragraph(), w.line(), w.text(), unscale(w.x(), factor),
                    unscale(w.y(), factor), unscale(w.width(), factor), unscale(w.height(), factor), w.confidence()));
        }
        return new RecognisedPage(width, height, words);
    }

    private static int unscale(int pixels, double factor) {
        return (int) Math.round(pixels / factor);
    }
}
