package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which parser an upload reaches, the limits checked on the way in, and what a caller gets when a parser fails. */
class DocumentParsersRoutingTest {

    /** 1 KB per file, and a time budget a machine shared by several builds cannot exceed. */
    private final DocumentParsers small = new DocumentParsers(ParseLimits.defaults().withMaxBytes(1024)
            .withBudgetPerMegabyte(120_000, ParseLimits.DEFAULT_BUDGET_BYTES_PER_MEGABYTE));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A parser of the made-up ".abc" format that fails the way it is told. */
    private record Failing(RuntimeException failure) implements DocumentParser {
        @Override
        public String format() {
            return "abc";
        }

        @Override
        public ParsedDocument parse(String fileName, byte[] bytes) {
            throw failure;
        }
    }

    @Test
    void extensionsAreMatchedInAnyCaseAndAddedParsersAreUsed() throws Exception {
        assertTrue(small.supports("说明.MD"));
        assertTrue(small.supports("a.jsonl"));
        assertFalse(small.supports("a.doc"));
        assertFalse(small.supports("README"));
        DocumentParser plain = new PlainTextParser(small.limits());
        DocumentParsers more = small.with(plain, ".ABC", "def");
        assertTrue(more.supports("x.abc") && more.supports("x.DEF"));
        assertFalse(small.supports("x.abc"), "the original is unchanged");
        assertEquals("text", more.parse("x.abc", utf8("内容")).format());
        assertSame(small.limits(), more.limits());
        assertTrue(more.supportedExtensions().containsAll(Set.of("abc", "def", "txt", "pdf")));
        assertThrows(UnsupportedOperationException.class, () -> more.supportedExtensions().add("x"));
    }

    @Test
    void aFileWithoutExtensionIsRefusedSayingSo() {
        DocumentParseException e = assertThrows(UnsupportedDocumentException.class,
                () -> small.parse("Makefile", utf8("all:")));
        assertTrue(e.getMessage().startsWith("Makefile: has no file extension, so its type is unknown (supported: bmp, "),
                e.getMessage());
    }

    @Test
    void anUploadStreamIsReadUpToTheLimitAndOneByteMoreIsRefused() throws Exception {
        byte[] exact = utf8("a".repeat(1024));
        assertEquals(1024, small.parse("a.txt", new ByteArrayInputStream(exact)).text().length());
        DocumentParseException over = assertThrows(DocumentParseException.class,
                () -> small.parse("a.txt", new ByteArrayInputStream(utf8("a".repeat(1025)))));
        assertEquals("a.txt: is larger than the 1 KB limit", over.getMessage());
        assertEquals(DocumentParseException.Reason.TOO_LARGE, over.reason());
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        DocumentParseException cut = assertThrows(DocumentParseException.class, () -> small.parse("a.txt", broken));
        assertEquals(DocumentParseException.Reason.UNREADABLE, cut.reason());
        assertEquals("a.txt: upload could not be read (connection reset)", cut.getMessage());
    }

    @Test
    void aFileOnDiskIsCheckedBeforeItIsReadAndExactlyTheLimitIsAccepted(@TempDir Path dir) throws Exception {
        Path exact = Files.write(dir.resolve("a.txt"), utf8("b".repeat(1024)));
        assertEquals(1024, small.parse(exact).text().length());
        Path over = Files.write(dir.resolve("b.txt"), utf8("b".repeat(1025)));
        assertEquals("b.txt: is 1 KB, larger than the 1 KB limit",
                assertThrows(DocumentParseException.class, () -> small.parse(over)).getMessage());
        assertEquals("a.txt: is 1 KB, larger than the 1 KB limit", assertThrows(DocumentParseException.class,
                () -> small.parse("a.txt", utf8("c".repeat(1025)))).getMessage());
        DocumentParseException folder = assertThrows(DocumentParseException.class,
                () -> new DocumentParsers(small.limits().withMaxBytes(1L << 20)).parse(Files.createDirectory(dir.resolve("d.txt"))));
        assertEquals(DocumentParseException.Reason.UNREADABLE, folder.reason());
        assertTrue(folder.getMessage().startsWith("d.txt: cannot be read ("), folder.getMessage());
        DocumentParseException missing = assertThrows(DocumentParseException.class,
                () -> small.parse(dir.resolve("missing.txt")));
        assertEquals("missing.txt: file not found", missing.getMessage());
    }

    @Test
    void aParserThatFailsUnexpectedlyGivesTheUserTheFormatsNameNotTheException() {
        DocumentParsers failing = small.with(new Failing(new IllegalStateException("index 7 out of bounds")), "abc");
        DocumentParseException e = assertThrows(DocumentParseException.class,
                () -> failing.parse("数据.abc", utf8("x")));
        assertEquals(DocumentParseException.Reason.CORRUPT, e.reason());
        assertEquals("数据.abc: is damaged or not a valid ABC file, it cannot be read", e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException);

        DocumentParsers tooLong = small.with(new Failing(new TextLimitExceededException(500)), "abc");
        DocumentParseException text = assertThrows(DocumentParseException.class,
                () -> tooLong.parse("数据.abc", utf8("x")));
        assertEquals(DocumentParseException.Reason.TOO_MUCH_TEXT, text.reason());
        assertEquals("数据.abc: the text is longer than 500 characters, refusing", text.getMessage());

        DocumentParsers slow = small.with(new Failing(new ParseBudgetExceededException("took too long")), "abc");
        DocumentParseException budget = assertThrows(DocumentParseException.class,
                () -> slow.parse("数据.abc", utf8("x")));
        assertEquals(DocumentParseException.Reason.OVER_BUDGET, budget.reason());
        assertEquals("数据.abc: took too long", budget.getMessage());
    }

    @Test
    void theParserRunsUnderTheFilesBudget() {
        DocumentParser checking = new DocumentParser() {
            @Override
            public String format() {
                return "abc";
            }

            @Override
            public ParsedDocument parse(String fileName, byte[] bytes) {
                long start = System.nanoTime();
                while (System.nanoTime() - start < 3_000_000) {
                    Thread.onSpinWait();
                }
                ParseBudget.checkCurrent();
                return new ParsedDocument("x", "x", "abc", List.of(), List.of());
            }
        };
        DocumentParsers stingy = new DocumentParsers(ParseLimits.defaults().withBudgetPerMegabyte(1, 1L << 40))
                .with(checking, "abc");
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> stingy.parse("a.abc", utf8("x")));
        assertEquals(DocumentParseException.Reason.OVER_BUDGET, e.reason());
        ParseBudget.checkCurrent(); // the budget was unbound when the parse ended
    }
}
