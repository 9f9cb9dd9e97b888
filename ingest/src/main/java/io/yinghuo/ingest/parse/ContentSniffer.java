package io.yinghuo.ingest.parse;

/** Recognises a file's real type from its first bytes, where that is cheap and certain. */
final class ContentSniffer {

    private ContentSniffer() {
    }

    /** A short name for a known binary format ("PDF document", "PNG image", ...), or null. */
    static String binaryKind(byte[] b) {
        if (startsWith(b, "%PDF-")) {
            return "PDF document";
        }
        if (b.length >= 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 || b[2] == 5 || b[2] == 7)) {
            return "zip archive or Office document";
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0xD0 && (b[1] & 0xFF) == 0xCF && b[2] == 0x11 && (b[3] & 0xFF) == 0xE0) {
            return "legacy Microsoft Office file";
        }
        if (b.length >= 4 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "PNG image";
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "JPEG image";
        }
        if (startsWith(b, "GIF87a") || startsWith(b, "GIF89a")) {
            return "GIF image";
        }
        if (b.length >= 4 && b[0] == 0x7F && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') {
            return "executable";
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B) {
            return "gzip archive";
        }
        if (startsWith(b, "Rar!") || (b.length >= 6 && b[0] == '7' && b[1] == 'z' && (b[2] & 0xFF) == 0xBC)) {
            return "archive";
        }
        return null;
    }

    static boolean isPdf(byte[] b) {
        // The header may follow a few bytes of junk; PDFBox tolerates that, so do we.
        int limit = Math.min(b.length - 5, 1024);
        for (int i = 0; i <= limit; i++) {
            if (b[i] == '%' && b[i + 1] == 'P' && b[i + 2] == 'D' && b[i + 3] == 'F' && b[i + 4] == '-') {
                return true;
            }
        }
        return false;
    }

    static boolean isZip(byte[] b) {
        return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    static boolean isOle2(byte[] b) {
        return b.length >= 8 && (b[0] & 0xFF) == 0xD0 && (b[1] & 0xFF) == 0xCF && b[2] == 0x11
                && (b[3] & 0xFF) == 0xE0;
    }

    /**
     * "docx", "xlsx", "pptx" by the main part's name, or null. Only searches the raw bytes for the entry name (stored
     * uncompressed in the zip headers): inflating anything here would defeat the zip-bomb check that comes later.
     */
    static String officeKind(byte[] b) {
        if (!isZip(b)) {
            return null;
        }
        if (contains(b, "word/document.xml")) {
            return "docx";
        }
        if (contains(b, "xl/workbook.xml")) {
            return "xlsx";
        }
        if (contains(b, "ppt/presentation.xml")) {
            return "pptx";
        }
        return null;
    }

    private static boolean contains(byte[] b, String ascii) {
        byte first = (byte) ascii.charAt(0);
        outer:
        for (int i = 0, last = b.length - ascii.length(); i <= last; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int j = 1; j < ascii.length(); j++) {
                if (b[i + j] != ascii.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean startsWith(byte[] b, String ascii) {
        if (b.length < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
