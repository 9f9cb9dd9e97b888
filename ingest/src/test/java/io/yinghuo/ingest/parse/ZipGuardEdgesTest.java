package io.yinghuo.ingest.parse;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edges of the zip-bomb check on Office uploads, as a user meets them: the size limit and the part count are
 * "at most" (a document exactly at the limit is read, one byte or one part more is refused by name), a bomb is
 * refused whichever way its zip was written (sizes in the local headers, or only in data descriptors after the
 * data, as streaming writers do), and a zip whose header lies about a part's compressed size is reported as damaged
 * rather than failing inside the check.
 */
class ZipGuardEdgesTest {

    @TempDir
    Path dir;

    /** The sample DOCX plus {@code extra} parts, sizes in each local header (as desktop zip tools write files). */
    private byte[] docxWithParts(Map<String, byte[]> extra) throws IOException {
        Path file = dir.resolve("sized.docx");
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(OfficeParsersTest.sampleDocx()));
             ZipArchiveOutputStream out = new ZipArchiveOutputStream(file)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                out.putArchiveEntry(new ZipArchiveEntry(entry.getName()));
                in.transferTo(out);
                out.closeArchiveEntry();
            }
            for (Map.Entry<String, byte[]> part : extra.entrySet()) {
                out.putArchiveEntry(new ZipArchiveEntry(part.getKey()));
                out.write(part.getValue());
                out.closeArchiveEntry();
            }
        }
        return Files.readAllBytes(file);
    }

    /** The same, written by a streaming writer: each deflated part's sizes follow its data (a data descriptor). */
    private static byte[] streamedDocxWithPart(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(OfficeParsersTest.sampleDocx()));
             ZipOutputStream out = new ZipOutputStream(bytes)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(name));
            out.write(content);
            out.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static long expandedSize(byte[] zip) throws IOException {
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            while (in.getNextEntry() != null) {
                total += in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        return total;
    }

    private static DocumentParsers withMaxExpanded(long bytes) {
        return new DocumentParsers(ParseLimits.defaults().withMaxExpandedBytes(bytes));
    }

    @Test
    void aDocumentThatExpandsToExactlyTheLimitIsReadAndOneByteMoreIsRefused() throws Exception {
        byte[] docx = OfficeParsersTest.sampleDocx();
        long expanded = expandedSize(docx);

        ParsedDocument read = withMaxExpanded(expanded).parse("办法.docx", docx);
        assertTrue(read.text().startsWith("数据安全管理办法"), read.text());

        DocumentParseException e = assertThrows(DocumentParseException.class,
                () -> withMaxExpanded(expanded - 1).parse("办法.docx", docx));
        assertEquals(DocumentParseException.Reason.ZIP_BOMB, e.reason());
        assertTrue(e.getMessage().startsWith("办法.docx: expands to more than "), e.getMessage());
    }

    @Test
    void tenThousandPartsAreReadAndOneMoreIsRefused() throws Exception {
        int sampleParts = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(OfficeParsersTest.sampleDocx()))) {
            while (in.getNextEntry() != null) {
                sampleParts++;
            }
        }
        Map<String, byte[]> parts = new java.util.LinkedHashMap<>();
        byte[] empty = "<a/>".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; parts.size() + sampleParts < ZipGuard.MAX_ENTRIES; i++) {
            parts.put("customXml/item" + i + ".xml", empty);
        }
        DocumentParsers parsers = DocumentParsers.withDefaults();
        ParsedDocument read = parsers.parse("多部件.docx", docxWithParts(parts));
        assertTrue(read.text().startsWith("数据安全管理办法"), read.text());

        parts.put("customXml/one-more.xml", empty);
        byte[] tooMany = docxWithParts(parts);
        DocumentParseException e = assertThrows(DocumentParseException.class,
                () -> parsers.parse("多部件.docx", tooMany));
        assertEquals(DocumentParseException.Reason.ZIP_BOMB, e.reason());
        assertEquals("多部件.docx: has more than 10000 parts, refusing (zip bomb?)", e.getMessage());
    }

    @Test
    void aBombWrittenByAStreamingWriterIsRefusedByNameToo() throws Exception {
        // java.util.zip and most server-side writers put a deflated part's sizes after its data: the ratio can only
        // be judged once the part has been inflated (here 8 MB of zeros, about 1000 times).
        byte[] bomb = streamedDocxWithPart("word/media/padding.bin", new byte[8 << 20]);
        DocumentParseException e = assertThrows(DocumentParseException.class,
                () -> DocumentParsers.withDefaults().parse("流式.docx", bomb));
        assertEquals(DocumentParseException.Reason.ZIP_BOMB, e.reason());
        assertEquals("流式.docx: part 'word/media/padding.bin' expands more than 200 times its compressed size, "
                + "refusing (zip bomb?)", e.getMessage());
    }

    @Test
    void aPartOfUpTo4MiBMayCompressAsWellAsItLikes() throws Exception {
        // ZipGuard's grace: only parts past 4 MiB are judged by their ratio. POI then applies its own rule (more
        // than 100 times past 100 KiB), so the 4 MiB of zeros still ends as a refusal, but POI's, not the guard's
        // naming the part; one byte more and the guard itself refuses, by name.
        for (boolean streamed : new boolean[] {false, true}) {
            byte[] atGrace = streamed ? streamedDocxWithPart("word/media/zeros.bin", new byte[4 << 20])
                    : docxWithParts(Map.of("word/media/zeros.bin", new byte[4 << 20]));
            DocumentParseException poi = assertThrows(DocumentParseException.class,
                    () -> DocumentParsers.withDefaults().parse("零.docx", atGrace));
            assertEquals("零.docx: expands far beyond its compressed size, refusing (zip bomb?)", poi.getMessage(),
                    "streamed " + streamed);

            byte[] pastGrace = streamed ? streamedDocxWithPart("word/media/zeros.bin", new byte[(4 << 20) + 1])
                    : docxWithParts(Map.of("word/media/zeros.bin", new byte[(4 << 20) + 1]));
            DocumentParseException guard = assertThrows(DocumentParseException.class,
                    () -> DocumentParsers.withDefaults().parse("零.docx", pastGrace));
            assertEquals("零.docx: part 'word/media/zeros.bin' expands more than 200 times its compressed size, "
                    + "refusing (zip bomb?)", guard.getMessage(), "streamed " + streamed);
        }
    }

    @Test
    void aHeaderThatClaimsNoCompressedBytesIsADamagedFile() throws Exception {
        String name = "word/media/lie.bin";
        byte[] docx = docxWithParts(Map.of(name, new byte[6 << 20]));
        // Local file header: signature 50 4B 03 04, compressed size at offset 18, name length at 26, name at 30.
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer zip = ByteBuffer.wrap(docx).order(ByteOrder.LITTLE_ENDIAN);
        int patched = 0;
        for (int at = 0; at + 30 + nameBytes.length <= docx.length; at++) {
            if (zip.getInt(at) == 0x04034b50 && zip.getShort(at + 26) == nameBytes.length
                    && java.util.Arrays.equals(docx, at + 30, at + 30 + nameBytes.length, nameBytes, 0,
                    nameBytes.length)) {
                zip.putInt(at + 18, 0);
                patched++;
            }
        }
        assertEquals(1, patched);

        DocumentParseException e = assertThrows(DocumentParseException.class,
                () -> DocumentParsers.withDefaults().parse("谎报.docx", docx));
        assertEquals(DocumentParseException.Reason.CORRUPT, e.reason());
        assertEquals("谎报.docx: is not a valid DOCX file (the zip archive is damaged)", e.getMessage());
    }
}
