package io.yinghuo.ingest.parse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Small generated files of the shapes that once stalled or broke the parsers (issue 24); nothing is stored. */
public final class HostileFiles {

    private HostileFiles() {
    }

    /**
     * A one-page PDF whose page tree declares {@code count} pages (PDF 32000-1:2008, 7.7.3.2), written by hand with a
     * correct cross-reference table, as the 794-byte upload of issue 24.
     */
    static byte[] pdfDeclaringPages(String count) {
        return pdf("<< /Type /Pages /Kids [3 0 R] /Count " + count + " >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 << "
                        + "/Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>");
    }

    /** Catalog, the given page tree root (object 2) and page (object 3), and a content stream saying "Hello world". */
    static byte[] pdf(String pagesObject, String pageObject, String... more) {
        String content = "BT /F1 12 Tf 20 100 Td (Hello world) Tj ET";
        String[] objects = new String[4 + more.length];
        objects[0] = "<< /Type /Catalog /Pages 2 0 R >>";
        objects[1] = pagesObject;
        objects[2] = pageObject;
        objects[3] = "<< /Length " + content.length() + " >>\nstream\n" + content + "\nendstream";
        System.arraycopy(more, 0, objects, 4, more.length);
        StringBuilder s = new StringBuilder("%PDF-1.4\n");
        int[] offsets = new int[objects.length];
        for (int i = 0; i < objects.length; i++) {
            offsets[i] = s.length();
            s.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
        }
        int xref = s.length();
        s.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
        for (int offset : offsets) {
            s.append(String.format("%010d 00000 n \n", offset));
        }
        s.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A page tree that is a chain of {@code depth} /Pages nodes above the one page. */
    static byte[] pdfWithPageTreeDepth(int depth) {
        String[] chain = new String[depth];
        // Objects 5.. are the inner nodes; the root (2) points at 5, the last inner node at the page (3).
        for (int i = 0; i < depth; i++) {
            int kid = i + 1 < depth ? 6 + i : 3;
            chain[i] = "<< /Type /Pages /Kids [" + kid + " 0 R] /Count 1 >>";
        }
        String page = "<< /Type /Page /Parent " + (depth > 0 ? 4 + depth : 2) + " 0 R /MediaBox [0 0 200 200] "
                + "/Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "
                + ">> >> >>";
        return pdf("<< /Type /Pages /Kids [" + (depth > 0 ? 5 : 3) + " 0 R] /Count 1 >>", page, chain);
    }

    /** A Markdown list nested {@code depth} levels, each level indented two more spaces. */
    static byte[] nestedMarkdownList(int depth) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            s.append("  ".repeat(i)).append("- 第").append(i).append("层\n");
        }
        return utf8(s.toString());
    }

    /**
     * A PNG whose header (IHDR, with a correct CRC) declares {@code width} x {@code height} pixels of 8-bit RGB,
     * followed by an empty compressed stream: no reader may trust the declared size (PNG specification, 11.2.2).
     */
    static byte[] pngDeclaring(int width, int height) {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
                .putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, ihdr.array());
        chunk(out, new byte[] {'I', 'D', 'A', 'T', 0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Writes a PNG chunk: its data's length, {@code typeAndData}, and the CRC-32 of {@code typeAndData}. */
    private static void chunk(java.io.ByteArrayOutputStream out, byte[] typeAndData) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(typeAndData);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(typeAndData.length - 4).array());
        out.writeBytes(typeAndData);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * A WebP file of only its extended header (VP8X: 24-bit canvas width and height minus one, and the animation flag;
     * https://developers.google.com/speed/webp/docs/riff_container), without image data.
     */
    public static byte[] webpHeader(int width, int height, boolean animated) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(30).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBPVP8X".getBytes(StandardCharsets.US_ASCII))
                .putInt(10).put((byte) (animated ? 0x02 : 0)).put(new byte[3]);
        b.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
        b.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
        return b.array();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The entries of a zip file, in order. */
    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** {@code zip} with one entry's content replaced. */
    static byte[] replaceEntry(byte[] zip, String name, byte[] content) throws IOException {
        Map<String, byte[]> entries = unzip(zip);
        entries.put(name, content);
        return zip(entries);
    }
}
