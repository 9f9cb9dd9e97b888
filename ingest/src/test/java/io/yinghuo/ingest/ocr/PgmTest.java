package io.yinghuo.ingest.ocr;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The image Tesseract is given: binary PGM (https://netpbm.sourceforge.net/doc/pgm.html), 8-bit grey. */
class PgmTest {

    private static final byte[] HEADER = "P5\n3 2\n255\n".getBytes(StandardCharsets.US_ASCII);

    private static byte[] pixels(byte[] pgm) {
        assertArrayEquals(HEADER, Arrays.copyOf(pgm, HEADER.length), "P5 header with width, height and maxval");
        return Arrays.copyOfRange(pgm, HEADER.length, pgm.length);
    }

    @Test
    void aGreyImageIsWrittenRowByRowAfterTheHeader() {
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] values = {0, 50, 100, 150, 200, 255};
        for (int i = 0; i < values.length; i++) {
            grey.getRaster().setSample(i % 3, i / 3, 0, values[i]);
        }
        assertSame(grey, Pgm.grey(grey), "already grey: not copied");
        byte[] expected = {0, 50, 100, (byte) 150, (byte) 200, (byte) 255};
        assertArrayEquals(expected, pixels(Pgm.encode(grey)));
        // a part of a larger image shares its raster at an offset: the rows still come out right
        BufferedImage larger = new BufferedImage(5, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < values.length; i++) {
            larger.getRaster().setSample(1 + i % 3, 2 + i / 3, 0, values[i]);
        }
        assertArrayEquals(expected, pixels(Pgm.encode(larger.getSubimage(1, 2, 3, 2))));
    }

    @Test
    void colourBecomesGreyAndTransparencyBecomesWhitePaper() {
        BufferedImage colour = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        colour.setRGB(0, 0, Color.BLACK.getRGB());
        colour.setRGB(1, 0, Color.WHITE.getRGB());
        colour.setRGB(2, 0, 0x00000000); // fully transparent
        colour.setRGB(0, 1, 0xFF808080);
        colour.setRGB(1, 1, 0xFF000000);
        colour.setRGB(2, 1, 0xFFFFFFFF);
        byte[] grey = pixels(Pgm.encode(colour));
        assertEquals(0, grey[0] & 0xFF);
        assertEquals(255, grey[1] & 0xFF);
        assertEquals(255, grey[2] & 0xFF, "transparent is paper, not ink");
        assertEquals(128, grey[3] & 0xFF, 2);
        assertEquals(0, grey[4] & 0xFF);
        assertEquals(255, grey[5] & 0xFF);
    }
}
