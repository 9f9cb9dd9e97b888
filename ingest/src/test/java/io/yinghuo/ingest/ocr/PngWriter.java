package io.yinghuo.ingest.ocr;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes huge blank PNGs without holding their pixels (ImageIO would need the whole image in memory): an 8-bit
 * grey PNG (https://www.w3.org/TR/png/) of white rows with a black dot, streamed through a deflater.
 */
final class PngWriter {

    private PngWriter() {
    }

    static byte[] blank(int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[width + 1]; // filter byte 0, then the pixels
            java.util.Arrays.fill(row, (byte) 0xFF);
            row[0] = 0;
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header(width, height));
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** Signature and IHDR only. */
    static byte[] header(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(width);
        d.writeInt(height);
        d.writeByte(8); // bit depth
        d.writeByte(0); // grey
        d.writeByte(0);
        d.writeByte(0);
        d.writeByte(0);
        chunk(out, "IHDR", ihdr.toByteArray());
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
