package io.yinghuo.ingest.ocr;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceGray;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.Assumptions;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/**
 * Makes scans for the OCR tests: Chinese text typeset with a Noto CJK font (Debian's fonts-noto-cjk) on white
 * A4-width paper at 300 dpi, optionally degraded the way a cheap scanner or phone photo degrades it (a slight
 * rotation, sensor noise, JPEG compression).
 */
final class PrintedPages {

    static final int DPI = 300;
    /** A4 at 300 dpi. */
    static final int PAGE_WIDTH = 2480;
    static final int PAGE_HEIGHT = 3508;
    private static final int MARGIN = 200;

    private PrintedPages() {
    }

    /** The font family or a skipped test that says what to install. */
    static Font fontOrSkip(String family, float points) {
        System.setProperty("java.awt.headless", "true");
        boolean present = Arrays.asList(GraphicsEnvironment.getLocalGraphicsEnvironment()
                .getAvailableFontFamilyNames()).contains(family);
        Assumptions.assumeTrue(present, "font '" + family + "' is not installed (apt-get install fonts-noto-cjk)");
        return new Font(family, Font.PLAIN, 1).deriveFont(points * DPI / 72f);
    }

    /** Lines of {@code text} that fit the page width in {@code font}, and the text that did not fit the page. */
    record Layout(List<String> lines, String printed, String rest) {
    }

    static Layout layout(String text, Font font, int maxLines) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = scratch.createGraphics();
        FontMetrics metrics = g.getFontMetrics(font);
        int width = PAGE_WIDTH - 2 * MARGIN;
        List<String> lines = new ArrayList<>();
        int i = 0;
        String clean = text.replaceAll("\\s+", "");
        while (i < clean.length() && lines.size() < maxLines) {
            int end = i;
            while (end < clean.length() && metrics.stringWidth(clean.substring(i, end + 1)) <= width) {
                end++;
            }
            lines.add(clean.substring(i, end));
            i = end;
        }
        g.dispose();
        return new Layout(lines, String.join("", lines), clean.substring(i));
    }

    /** Typesets the lines, 1.6 line spacing, black on white, anti-aliased as a printer's toner edge. */
    static BufferedImage render(List<String> lines, Font font, int height) {
        BufferedImage page = new BufferedImage(PAGE_WIDTH, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = page.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, PAGE_WIDTH, height);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        int lineHeight = Math.round(font.getSize2D() * 1.6f);
        int y = MARGIN + lineHeight;
        for (String line : lines) {
            g.drawString(line, MARGIN, y);
            y += lineHeight;
        }
        g.dispose();
        return page;
    }

    /** Height that holds {@code lines} lines with margins. */
    static int heightFor(int lines, Font font) {
        return Math.min(PAGE_HEIGHT, 2 * MARGIN + Math.round(font.getSize2D() * 1.6f) * (lines + 1));
    }

    /** Rotated by {@code degrees}, with Gaussian noise of {@code noiseSigma} grey levels, then JPEG at quality q. */
    static BufferedImage degrade(BufferedImage page, double degrees, double noiseSigma, float jpegQuality,
                                 long seed) throws IOException {
        BufferedImage rotated = new BufferedImage(page.getWidth(), page.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = rotated.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, page.getWidth(), page.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(page, AffineTransform.getRotateInstance(Math.toRadians(degrees), page.getWidth() / 2.0,
                page.getHeight() / 2.0), null);
        g.dispose();
        Random random = new Random(seed);
        var raster = rotated.getRaster();
        for (int y = 0; y < rotated.getHeight(); y++) {
            for (int x = 0; x < rotated.getWidth(); x++) {
                int v = raster.getSample(x, y, 0) + (int) Math.round(random.nextGaussian() * noiseSigma);
                raster.setSample(x, y, 0, Math.max(0, Math.min(255, v)));
            }
        }
        return ImageIO.read(new ByteArrayInputStream(jpeg(rotated, jpegQuality)));
    }

    static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /**
     * A PDF with one A4 page per image, the image filling it and no text layer: a scan as a scanner writes it, the
     * page's grey levels stored as they are (DeviceGray, 8 bits, Flate).
     *
     * <p>Not through PDFBox's {@code LosslessFactory}: it reads a {@code TYPE_BYTE_GRAY} image with
     * {@code getRGB}, which converts Java's linear grey colour space to sRGB (V = 1.055 L^(1/2.4) - 0.055 for
     * L above 0.0031308, IEC 61966-2-1, so the mid-grey 128 of an anti-aliased stroke edge is stored as 188): the PDF then holds a lighter page, with
     * thinner strokes after binarisation, than the PNG of the same image. Tesseract read such pages worse (on the 20
     * retrieval-benchmark pages 3.9 % of characters wrong against 2.6 % from the PNG, and two lines left out).
     */
    static byte[] scanPdf(List<BufferedImage> images) throws IOException {
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (BufferedImage image : images) {
                PDPage page = new PDPage(PDRectangle.A4);
                pdf.addPage(page);
                PDImageXObject x = greyImage(pdf, image);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.drawImage(x, 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
                }
            }
            pdf.save(out);
            return out.toByteArray();
        }
    }

    /** The grey image's bytes as a DeviceGray image XObject, unchanged (see {@link #scanPdf}). */
    static PDImageXObject greyImage(PDDocument pdf, BufferedImage image) throws IOException {
        if (image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            throw new IllegalArgumentException("a TYPE_BYTE_GRAY page image is expected");
        }
        int width = image.getWidth();
        byte[] row = new byte[width];
        ByteArrayOutputStream flate = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(flate)) {
            for (int y = 0; y < image.getHeight(); y++) {
                image.getRaster().getDataElements(0, y, width, 1, row);
                deflate.write(row);
            }
        }
        return new PDImageXObject(pdf, new ByteArrayInputStream(flate.toByteArray()), COSName.FLATE_DECODE, width,
                image.getHeight(), 8, PDDeviceGray.INSTANCE);
    }
}
