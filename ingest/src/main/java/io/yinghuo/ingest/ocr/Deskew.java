package io.yinghuo.ingest.ocr;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Straightens a slightly rotated page before recognition. Tesseract finds skewed text lines, but reads them worse:
 * across an A4 line at 200 dpi (about 1,390 px) a 1.5° turn moves the print by about 36 px, more than a character's
 * height, so an upright box around the line also holds parts of its neighbours. On the degraded pages of
 * the OCR benchmark (turned 1.5°, noise, JPEG; BENCHMARKS.md "OCR") straightening took the character error rate from
 * 3.74 / 1.84 / 3.73 % to 2.35 / 1.14 / 2.67 % (simplified serif, traditional serif, traditional sans), about what
 * the same pages read clean; upright pages are not touched. It costs 0.05–0.3 s to find the angle and 0.3–1.1 s
 * to turn a 200 dpi A4 page on the shared 2-core machine (load 7), which recognised 0.9–4.1 pages a minute at
 * load 5–11.
 *
 * <p>The angle is the one whose horizontal projection of the ink is sharpest: the sum of squared differences
 * between neighbouring row sums of the image sheared by that angle is largest when text lines fall into rows
 * (Postl, "Detection of linear oblique structures and skew scan in digitized documents", ICPR 1986; Bloomberg,
 * Kopec and Dasari, "Measuring document image skew and orientation", SPIE 2422, 1995, the method of Leptonica's
 * pixFindSkew). Searched within ±{@value #MAX_DEGREES}° in steps of 0.1°, then 0.01° around the best; measured on a
 * quarter-resolution copy binarised at Otsu's threshold (Otsu, "A threshold selection method from gray-level
 * histograms", IEEE SMC 1979). Pages within {@value #MIN_DEGREES}° of upright are left as they are (a tenth of a
 * degree moves the end of a 17 cm line by 0.3 mm).
 */
public final class Deskew {

    static final double MAX_DEGREES = 5;
    static final double MIN_DEGREES = 0.1;
    /** Straightening is on unless the system property {@code yinghuo.ocr.deskew} is "false". */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("yinghuo.ocr.deskew", "true"));
    private static final int REDUCTION = 4;

    private Deskew() {
    }

    /**
     * The page's skew in degrees, positive when text lines fall to the right (the page was turned clockwise), 0 for
     * a page without enough ink to tell.
     */
    static double angle(BufferedImage grey) {
        int width = grey.getWidth() / REDUCTION;
        int height = grey.getHeight() / REDUCTION;
        if (width < 16 || height < 16) {
            return 0;
        }
        int[] reduced = new int[width * height];
        long[] histogram = new long[256];
        int[] row = new int[grey.getWidth()];
        for (int y = 0; y < height; y++) {
            for (int dy = 0; dy < REDUCTION; dy++) {
                grey.getRaster().getSamples(0, y * REDUCTION + dy, grey.getWidth(), 1, 0, row);
                for (int x = 0; x < width; x++) {
                    int sum = 0;
                    for (int dx = 0; dx < REDUCTION; dx++) {
                        sum += row[x * REDUCTION + dx];
                    }
                    reduced[y * width + x] += sum;
                }
            }
            for (int x = 0; x < width; x++) {
                int mean = reduced[y * width + x] / (REDUCTION * REDUCTION);
                reduced[y * width + x] = mean;
                histogram[mean]++;
            }
        }
        int threshold = otsu(histogram);
        int inkCount = 0;
        for (int v : reduced) {
            if (v <= threshold) {
                inkCount++;
            }
        }
        // a blank page, or one that is mostly dark (a photograph): no text lines to measure
        if (inkCount < width || inkCount > reduced.length / 2) {
            return 0;
        }
        int[] xs = new int[inkCount];
        int[] ys = new int[inkCount];
        int k = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (reduced[y * width + x] <= threshold) {
                    xs[k] = x - width / 2;
                    ys[k++] = y;
                }
            }
        }
        double best = 0;
        double bestScore = score(xs, ys, height, width, 0);
        for (int pass = 0; pass < 2; pass++) {
            double centre = best;
            double step = pass == 0 ? 0.1 : 0.01;
            double range = pass == 0 ? MAX_DEGREES : 0.1;
            for (int i = (int) -Math.round(range / step); i <= Math.round(range / step); i++) {
                double degrees = centre + i * step;
                double score = score(xs, ys, height, width, degrees);
                if (score > bestScore) {
                    bestScore = score;
                    best = degrees;
                }
            }
        }
        return best;
    }

    /** Sum of squared differences of neighbouring row sums after shearing the ink by {@code degrees}. */
    private static double score(int[] xs, int[] ys, int height, int width, double degrees) {
        double tan = Math.tan(Math.toRadians(degrees));
        int offset = (int) Math.ceil(Math.abs(tan) * width / 2) + 1;
        int[] rows = new int[height + 2 * offset + 1];
        for (int i = 0; i < xs.length; i++) {
            rows[(int) Math.round(ys[i] - xs[i] * tan) + offset]++;
        }
        double sum = 0;
        for (int i = 1; i < rows.length; i++) {
            double d = rows[i] - rows[i - 1];
            sum += d * d;
        }
        return sum;
    }

    /** Otsu's threshold: the grey level that maximises the between-class variance of ink and paper. */
    static int otsu(long[] histogram) {
        long total = 0;
        double sum = 0;
        for (int i = 0; i < 256; i++) {
            total += histogram[i];
            sum += i * (double) histogram[i];
        }
        double sumBelow = 0;
        long below = 0;
        double best = -1;
        int threshold = 127;
        for (int i = 0; i < 256; i++) {
            below += histogram[i];
            if (below == 0) {
                continue;
            }
            long above = total - below;
            if (above == 0) {
                break;
            }
            sumBelow += i * (double) histogram[i];
            double meanBelow = sumBelow / below;
            double meanAbove = (sum - sumBelow) / above;
            double between = (double) below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best) {
                best = between;
                threshold = i;
            }
        }
        return threshold;
    }

    /** The grey image turned by {@code -degrees} about its centre (bicubic), the corners filled with white paper. */
    static BufferedImage straighten(BufferedImage grey, double degrees) {
        BufferedImage out = new BufferedImage(grey.getWidth(), grey.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(grey, rotation(-degrees, grey.getWidth(), grey.getHeight()), null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The words with their boxes turned back by {@code degrees}: boxes on the page as it was given. */
    static RecognisedPage unstraighten(RecognisedPage page, double degrees) {
        AffineTransform back = rotation(degrees, page.width(), page.height());
        List<RecognisedWord> words = new ArrayList<>(page.words().size());
        for (RecognisedWord w : page.words()) {
            double minX = Double.MAX_VALUE;
            double minY = Double.MAX_VALUE;
            double maxX = -Double.MAX_VALUE;
            double maxY = -Double.MAX_VALUE;
            for (int corner = 0; corner < 4; corner++) {
                Point2D p = back.transform(new Point2D.Double(w.x() + (corner & 1) * w.width(),
                        w.y() + (corner >> 1) * w.height()), null);
                minX = Math.min(minX, p.getX());
                minY = Math.min(minY, p.getY());
                maxX = Math.max(maxX, p.getX());
                maxY = Math.max(maxY, p.getY());
            }
            int x = (int) Math.max(0, Math.round(minX));
            int y = (int) Math.max(0, Math.round(minY));
            int right = (int) Math.min(page.width(), Math.round(maxX));
            int bottom = (int) Math.min(page.height(), Math.round(maxY));
            words.add(new RecognisedWord(w.block(), w.paragraph(), w.line(), w.text(), x, y, Math.max(0, right - x),
                    Math.max(0, bottom - y), w.confidence()));
        }
        return new RecognisedPage(page.width(), page.height(), words);
    }

    private static AffineTransform rotation(double degrees, int width, int height) {
        return AffineTransform.getRotateInstance(Math.toRadians(degrees), width / 2.0, height / 2.0);
    }
}
