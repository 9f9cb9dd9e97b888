package io.yinghuo.ingest.ocr;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.charset.StandardCharsets;

/**
 * Encodes an image as binary PGM (P5, 8-bit grey; https://netpbm.sourceforge.net/doc/pgm.html), which Leptonica
 * reads natively. Grey because Tesseract binarises every image anyway, and uncompressed because PNG-compressing a
 * 300 dpi page in Java takes longer than Tesseract takes to read the larger file.
 */
final class Pgm {

    private Pgm() {
    }

    /** The image in 8-bit grey, itself when it already is. */
    static BufferedImage grey(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return image;
        }
        BufferedImage grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        try {
            g.drawImage(image, 0, 0, java.awt.Color.WHITE, null); // transparent areas become paper, not ink
        } finally {
            g.dispose();
        }
        return grey;
    }

    static byte[] encode(BufferedImage image) {
        BufferedImage grey = grey(image);
        int width = grey.getWidth();
        int height = grey.getHeight();
        byte[] header = ("P5\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + width * height];
        System.arraycopy(header, 0, out, 0, header.length);
        if (grey.getRaster().getDataBuffer() instanceof DataBufferByte bytes
                && grey.getRaster().getSampleModelTranslateX() == 0 && grey.getRaster().getSampleModelTranslateY() == 0
                && bytes.getData().length == width * height) {
            System.arraycopy(bytes.getData(), 0, out, header.length, width * height);
        } else {
            byte[] row = new byte[width];
            for (int y = 0; y < height; y++) {
                grey.getRaster().getDataElements(0, y, width, 1, row);
                System.arraycopy(row, 0, out, header.length + y * width, width);
            }
        }
        return out;
    }
}
