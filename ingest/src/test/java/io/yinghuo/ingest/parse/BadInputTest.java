package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each bad file gets its own clear error, and the next file parses as usual. */
class BadInputTest {

    private final DocumentParsers parsers = new DocumentParsers(ParseLimits.defaults().withMaxBytes(1024)
            .withMaxCharacters(500));

    private DocumentParseException fails(String name, byte[] bytes) {
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> parsers.parse(name, bytes));
        // The parser stays usable for the next file.
        try {
            assertEquals("好", parsers.parse("ok.txt", "好".getBytes(StandardCharsets.UTF_8)).text());
        } catch (DocumentParseException unexpected) {
            throw new AssertionError(unexpected);
        }
        return e;
    }

    @Test
    void emptyAndBlankFiles() {
        DocumentParseException empty = fails("空.txt", new byte[0]);
        assertEquals(DocumentParseException.Reason.EMPTY, empty.reason());
        assertEquals("空.txt: the file is empty", empty.getMessage());
        assertEquals(DocumentParseException.Reason.EMPTY, fails("blank.txt", " \n\t\n".getBytes()).reason());
        assertEquals(DocumentParseException.Reason.NO_TEXT, fails("blank.md", "\n\n".getBytes()).reason());
    }

    @Test
    void binaryJunkNamedTxt() {
        byte[] junk = new byte[800];
        new Random(1).nextBytes(junk);
        DocumentParseException e = fails("x.txt", junk);
        assertEquals(DocumentParseException.Reason.BINARY, e.reason());
        assertEquals("x.txt: looks like binary data, not text", e.getMessage());
    }

    @Test
    void unknownOrMissingExtension() {
        DocumentParseException unknown = fails("setup.exe", "MZ".getBytes());
        assertInstanceOf(UnsupportedDocumentException.class, unknown);
        assertEquals(DocumentParseException.Reason.UNSUPPORTED_TYPE, unknown.reason());
        assertEquals("setup.exe: unsupported file type '.exe' (supported: bmp, csv, docx, gif, htm, html, jpeg, jpg, "
                + "json, jsonl, log, markdown, md, ndjson, pdf, png, pptx, text, tif, tiff, tsv, txt, webp, xhtml, "
                + "xlsx)", unknown.getMessage());
        DocumentParseException none = fails("README", "hello".getBytes());
        assertEquals(DocumentParseException.Reason.UNSUPPORTED_TYPE, none.reason());
    }

    @Test
    void overTheSizeLimit(@TempDir Path dir) throws Exception {
        byte[] big = "大".repeat(400).getBytes(StandardCharsets.UTF_8); // 1,200 bytes
        DocumentParseException e = fails("big.txt", big);
        assertEquals(DocumentParseException.Reason.TOO_LARGE, e.reason());
        assertEquals("big.txt: is 1 KB, larger than the 1 KB limit", e.getMessage());

        Path file = dir.resolve("big.txt");
        Files.write(file, big);
        assertEquals(DocumentParseException.Reason.TOO_LARGE,
                assertThrows(DocumentParseException.class, () -> parsers.parse(file)).reason());
        assertEquals(DocumentParseException.Reason.TOO_LARGE, assertThrows(DocumentParseException.class,
                () -> parsers.parse("big.txt", new ByteArrayInputStream(big))).reason());
        assertEquals(DocumentParseException.Reason.UNREADABLE, assertThrows(DocumentParseException.class,
                () -> parsers.parse(dir.resolve("missing.txt"))).reason());
    }

    @Test
    void tooMuchText() {
        byte[] text = "a".repeat(900).getBytes(StandardCharsets.UTF_8);
        DocumentParseException e = fails("long.md", text);
        assertEquals(DocumentParseException.Reason.TOO_MUCH_TEXT, e.reason());
        assertEquals("long.md: the text is longer than 500 characters, refusing", e.getMessage());
        assertEquals(DocumentParseException.Reason.TOO_MUCH_TEXT, fails("long.txt", text).reason());
    }

    @Test
    void pathTricksInNamesAreNeutralised() throws Exception {
        ParsedDocument doc = parsers.parse("../../etc/passwd.txt", "root".getBytes());
        assertEquals("passwd", doc.title());
        DocumentParseException e = fails("..\\..\\evil\u202Etxt.exe", "x".getBytes());
        assertEquals("eviltxt.exe", e.fileName());
        assertEquals("eviltxt.exe: unsupported file type '.exe'", e.getMessage().substring(0, 41));
    }
}
