package io.yinghuo.ingest.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Inflates every entry of a zip-based document once, counting real bytes (headers can lie), before POI opens it: a
 * document that expands beyond {@link ParseLimits#maxExpandedBytes()} in total, or whose large entries expand more
 * than {@link #MAX_RATIO} times, is refused as a probable zip bomb. Nothing is kept in memory.
 */
final class ZipGuard {

    /** Real DOCX/XLSX XML compresses 5–30 times; a bomb compresses hundreds to thousands of times. */
    static final int MAX_RATIO = 200;
    /** Below this size an entry may compress as well as it likes (e.g. a repeated empty table). */
    static final long RATIO_GRACE_BYTES = 4L << 20;
    static final int MAX_ENTRIES = 10_000;

    private ZipGuard() {
    }

    static void check(String fileName, byte[] bytes, long maxExpandedBytes, String formatName)
            throws DocumentParseException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw bomb(fileName, "has more than " + MAX_ENTRIES + " parts, refusing (zip bomb?)");
                }
                long entryBytes = 0;
                int n;
                while ((n = zip.read(buffer)) != -1) {
                    entryBytes += n;
                    total += n;
                    if (total > maxExpandedBytes) {
                        throw bomb(fileName, "expands to more than " + ParseLimits.describeBytes(maxExpandedBytes)
                                + ", refusing (zip bomb?)");
                    }
                    // Judged while inflating when the local header states the compressed size ...
                    if (expandsTooMuch(entryBytes, entry.getCompressedSize())) {
                        throw ratioBomb(fileName, entry);
                    }
                }
                // ... and once more at its end, when only the data descriptor after the data gave the size.
                if (expandsTooMuch(entryBytes, entry.getCompressedSize())) {
                    throw ratioBomb(fileName, entry);
                }
            }
        } catch (ZipException e) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.CORRUPT,
                    "is not a valid " + formatName + " file (the zip archive is damaged)", e);
        } catch (IOException e) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.CORRUPT,
                    "is not a valid " + formatName + " file (the zip archive cannot be read)", e);
        }
        if (entries == 0) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.CORRUPT,
                    "is not a valid " + formatName + " file (not a zip archive)");
        }
    }

    /**
     * Whether an entry that has expanded to {@code entryBytes} so far is past the ratio. {@code compressed} is -1
     * while unknown; a header that claims 0 is a lie the end of the entry exposes (ZipInputStream then fails).
     */
    private static boolean expandsTooMuch(long entryBytes, long compressed) {
        return compressed > 0 && entryBytes > RATIO_GRACE_BYTES && entryBytes / compressed > MAX_RATIO;
    }

    private static DocumentParseException ratioBomb(String fileName, ZipEntry entry) {
        return bomb(fileName, "part '" + entry.getName() + "' expands more than " + MAX_RATIO
                + " times its compressed size, refusing (zip bomb?)");
    }

    private static DocumentParseException bomb(String fileName, String detail) {
        return new DocumentParseException(fileName, DocumentParseException.Reason.ZIP_BOMB, detail);
    }
}
