package io.yinghuo.ingest.parse;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compression-ratio door of the zip-bomb check, as a user uploading Office files meets it: a large part that
 * expands more than 200 times is refused by name, a large part that compresses like ordinary data (random bytes,
 * repetitive table XML) is not, and a bomb whose zip headers state its sizes is stopped as soon as its part passes the ratio, before
 * it has been inflated to the size limit.
 */
class ZipRatioGuardTest {

    @TempDir
    Path dir;

    private final DocumentParsers parsers = DocumentParsers.withDefaults();

    /**
     * The sample DOCX with one more part, written the way desktop zip tools write to a file: sizes in each local
     * header (commons-compress seeks back to fill them in), no data descriptors.
     */
    private byte[] docxWithPart(String name, byte[] content) throws IOException {
        Path file = dir.resolve("with-part.docx");
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(OfficeParsersTest.sampleDocx()));
             ZipArchiveOutputStream out = new ZipArchiveOutputStream(file)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                out.putArchiveEntry(new ZipArchiveEntry(entry.getName()));
                in.transferTo(out);
                out.closeArchiveEntry();
            }
            out.putArchiveEntry(new ZipArchiveEntry(name));
            out.write(content);
            out.closeArchiveEntry();
        }
        return Files.readAllBytes(file);
    }

    @Test
    void aLargePartThatExpandsMoreThan200TimesIsRefusedByName() throws Exception {
        byte[] bomb = docxWithPart("word/media/padding.bin", new byte[8 << 20]); // zeros: about 1000 times
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> parsers.parse("a.docx", bomb));
        assertEquals(DocumentParseException.Reason.ZIP_BOMB, e.reason());
        assertEquals("a.docx: part 'word/media/padding.bin' expands more than 200 times its compressed size, "
                + "refusing (zip bomb?)", e.getMessage());

        // Under a 6 MB limit the same file is still refused for its ratio: the headers state the sizes, so the
        // part is judged while it inflates (past 4 MB), before the size limit is reached.
        DocumentParsers small = new DocumentParsers(ParseLimits.defaults().withMaxExpandedBytes(6L << 20));
        DocumentParseException early = assertThrows(DocumentParseException.class, () -> small.parse("a.docx", bomb));
        assertEquals(e.getMessage(), early.getMessage());
    }

    @Test
    void aLargePartThatCompressesLikeOrdinaryDataIsAccepted() throws Exception {
        // 5 MB of embedded binary data (random bytes barely compress): well past the 4 MB grace, far below 200
        // times. (Named .xml because the sample's content types know that extension; POI reads no part it is not
        // asked for.)
        byte[] photo = new byte[5 << 20];
        new Random(24).nextBytes(photo);
        ParsedDocument doc = parsers.parse("带附件.docx", docxWithPart("customXml/item1.xml", photo));
        assertTrue(doc.text().startsWith("数据安全管理办法"), doc.text());

        // Text that compresses about 90 times (POI itself refuses parts past 100 times): an ordinary document.
        StringBuilder xml = new StringBuilder();
        Random random = new Random(7);
        while (xml.length() < (5 << 20)) {
            xml.append("<w:t>").append("第").append(random.nextInt(100)).append("条</w:t>".repeat(40));
        }
        byte[] repetitive = xml.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ParsedDocument table = parsers.parse("大表格.docx", docxWithPart("word/fragment.xml", repetitive));
        assertTrue(table.text().contains("本办法适用于公司内部的数据处理活动。"), table.text());
    }
}
