package io.yinghuo.ingest.parse;

/**
 * The size and animation flag of a WebP file, read from its RIFF header without decoding (the JDK has no WebP
 * reader). Layout from the WebP container specification (https://developers.google.com/speed/webp/docs/riff_container)
 * and RFC 9649: a "VP8 " (lossy) frame header holds 14-bit sizes after its start code, a "VP8L" (lossless) header
 * 14-bit sizes minus one, and a "VP8X" (extended) header 24-bit canvas sizes minus one and the animation flag.
 */
record WebpHeader(int width, int height, boolean animated) {

    static boolean isWebp(byte[] b) {
        return b.length >= 16 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P';
    }

    /** The header, or null when it is damaged. */
    static WebpHeader read(byte[] b) {
        if (!isWebp(b) || b.length < 30) {
            return null;
        }
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        switch (chunk) {
            case "VP8 ":
                if ((b[23] & 0xFF) != 0x9D || (b[24] & 0xFF) != 0x01 || (b[25] & 0xFF) != 0x2A) {
                    return null;
                }
                return new WebpHeader(u16(b, 26) & 0x3FFF, u16(b, 28) & 0x3FFF, false);
            case "VP8L":
                if ((b[20] & 0xFF) != 0x2F) {
                    return null;
                }
                int bits = (b[21] & 0xFF) | (b[22] & 0xFF) << 8 | (b[23] & 0xFF) << 16 | (b[24] & 0xFF) << 24;
                return new WebpHeader((bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1, false);
            case "VP8X":
                boolean animated = (b[20] & 0x02) != 0;
                return new WebpHeader(u24(b, 24) + 1, u24(b, 27) + 1, animated);
            default:
                return null;
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int u24(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }
}
