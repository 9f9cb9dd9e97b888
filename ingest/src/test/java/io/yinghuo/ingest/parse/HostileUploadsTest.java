package io.yinghuo.ingest.parse;

import io.yinghuo.ingest.chunk.Chunk;
import io.yinghuo.ingest.chunk.ChineseChunker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.yinghuo.ingest.parse.HostileFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The uploads of issue 24 that stalled the server, filled its heap, or lost content without saying so: each is
 * generated here and must be read (to what it really holds) or refused with our reason, quickly and in bounded
 * memory.
 */
class HostileUploadsTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final DocumentParsers parsers = DocumentParsers.withDefaults();

    /**
     * Runs {@code work}, failing when it costs this thread more than {@code maxMillis} of CPU time or allocates more
     * than {@code maxMb}. CPU time, not wall time: the bound is about the work a file makes, and on a loaded build
     * machine wall time also counts the minutes this thread waited for a core (a 2 s parse took 10.2 s at load 15).
     */
    private static <T> T bounded(long maxMillis, long maxMb, ThrowingSupplier<T> work) throws Exception {
        long allocated = THREADS.getCurrentThreadAllocatedBytes();
        long start = THREADS.getCurrentThreadCpuTime();
        T result = work.get();
        long millis = (THREADS.getCurrentThreadCpuTime() - start) / 1_000_000;
        long mb = (THREADS.getCurrentThreadAllocatedBytes() - allocated) >> 20;
        assertTrue(millis <= maxMillis, "took " + millis + " ms of CPU time");
        assertTrue(mb <= maxMb, "allocated " + mb + " MB");
        return result;
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private DocumentParseException refused(String name, byte[] bytes) throws Exception {
        return bounded(5_000, 512, () -> assertThrows(DocumentParseException.class, () -> parsers.parse(name, bytes)));
    }

    @Test
    void pdfDeclaringTwoBillionPagesIsReadAsTheOnePageItHolds() throws Exception {
        byte[] pdf = HostileFiles.pdfDeclaringPages("2147483647");
        ParsedDocument doc = bounded(5_000, 256, () -> parsers.parse("count.pdf", pdf));
        assertEquals("Hello world", doc.text());
        assertEquals(1, doc.pages().size());
        assertEquals(List.of("the PDF declares 2147483647 pages but holds 1; those were read"), doc.warningTexts());
        assertEquals(List.of(new ParseWarning("pdf_pages_missing", List.of("2147483647", "1"),
                "the PDF declares 2147483647 pages but holds 1; those were read")), doc.warnings(),
                "a front end gets the code and the values to say it in the user's language");
    }

    @Test
    void pdfDeclaringFewerPagesThanItHoldsIsReadWhole() throws Exception {
        ParsedDocument doc = parsers.parse("zero.pdf", HostileFiles.pdfDeclaringPages("0"));
        assertEquals("Hello world", doc.text());
        ParsedDocument negative = parsers.parse("negative.pdf", HostileFiles.pdfDeclaringPages("-5"));
        assertEquals("Hello world", negative.text());
    }

    @Test
    void pdfPageTreeDeeperThanTheLimitIsRefused() throws Exception {
        assertEquals("Hello world", parsers.parse("deep.pdf", HostileFiles.pdfWithPageTreeDepth(20)).text());
        DocumentParseException e = refused("deeper.pdf", HostileFiles.pdfWithPageTreeDepth(5_000));
        assertEquals(DocumentParseException.Reason.TOO_COMPLEX, e.reason());
        assertEquals("deeper.pdf: the PDF's page tree is nested more than 64 levels deep, refusing", e.getMessage());
    }

    @Test
    void jsonWithOneFourMillionCharacterStringParsesAndChunksQuickly() throws Exception {
        byte[] json = utf8("{\"a\":\"" + "字".repeat(4_000_000) + "\"}");
        List<Chunk> chunks = bounded(10_000, 2_048, () -> new ChineseChunker().chunk(parsers.parse("long.json", json)));
        assertTrue(chunks.size() > 1_000, chunks.size() + " chunks");
        assertTrue(chunks.stream().allMatch(c -> c.tokenCount() <= 480));
    }

    @Test
    void unpunctuatedChineseIsCutCheaply() throws Exception {
        byte[] text = utf8("中文字".repeat(3_300_000)); // 9.9 million characters, 29.7 MB: one "sentence"
        List<Chunk> chunks = bounded(15_000, 4_096, () -> new ChineseChunker().chunk(parsers.parse("run.txt", text)));
        assertTrue(chunks.size() > 20_000, chunks.size() + " chunks");
        assertEquals(9_900_000, chunks.get(chunks.size() - 1).end());
    }

    @Test
    void headingFloodBecomesAFewLargeChunks() throws Exception {
        byte[] markdown = utf8("# 标题\n".repeat(200_000));
        List<Chunk> chunks = bounded(10_000, 2_048, () -> new ChineseChunker().chunk(parsers.parse("h.md", markdown)));
        assertTrue(chunks.size() < 3_000, chunks.size() + " chunks");
    }

    @Test
    void headingsWithoutBodyJoinTheNextSection() throws Exception {
        ParsedDocument doc = parsers.parse("a.md", utf8("# 第一章\n## 第一节\n正文。\n## 第二节\n更多正文。\n"));
        assertEquals(List.of(new ParsedDocument.Section("第一章 > 第一节", 0, 11),
                new ParsedDocument.Section("第一章 > 第二节", 12, 21)), doc.sections());
    }

    @Test
    void markdownListNestedFiveThousandDeepIsRefusedByTheDepthLimit() throws Exception {
        DocumentParseException e = refused("deep.md", HostileFiles.nestedMarkdownList(5_000));
        assertEquals(DocumentParseException.Reason.TOO_COMPLEX, e.reason());
        assertEquals("deep.md: lists or quotes are nested more than 64 levels deep, refusing", e.getMessage());
        assertEquals(DocumentParseException.Reason.TOO_COMPLEX,
                refused("quote.md", utf8(">".repeat(5_000) + " 引文\n")).reason());
        assertEquals(DocumentParseException.Reason.TOO_COMPLEX,
                refused("same-line.md", utf8("- ".repeat(5_000) + "项\n")).reason());
    }

    @Test
    void markdownWithinTheDepthLimitIsRead() throws Exception {
        assertTrue(parsers.parse("ok.md", HostileFiles.nestedMarkdownList(30)).text().contains("第29层"));
        // Fenced code is text, however it is indented; emphasis nests without recursion.
        String fenced = "```\n" + (" ".repeat(400) + "- x\n").repeat(3) + "```\n";
        assertTrue(parsers.parse("code.md", utf8(fenced)).text().contains("- x"));
        String emphasis = "*".repeat(40_000) + "强调" + "*".repeat(40_000);
        assertTrue(parsers.parse("em.md", utf8(emphasis)).text().contains("强调"));
    }

    @Test
    void deeplyNestedJsonAndHtmlAreRefusedOrReadWithoutRecursion() throws Exception {
        DocumentParseException json = refused("deep.json", utf8("[".repeat(100_000)));
        assertEquals(DocumentParseException.Reason.TOO_COMPLEX, json.reason());
        assertFalse(json.getMessage().contains("StreamReadConstraints"), json.getMessage());
        ParsedDocument html = bounded(5_000, 512, () -> parsers.parse("deep.html",
                utf8("<div>".repeat(100_000) + "深处" + "</div>".repeat(100_000))));
        assertEquals("深处", html.text());
    }

    @Test
    void csvHeaderWiderThanItsDataIsKept() throws Exception {
        String longName = "名".repeat(3_000_000);
        ParsedDocument doc = parsers.parse("wide.csv", utf8("a,b," + longName + "\n1,2\n"));
        assertTrue(doc.text().contains(longName), "the header's third column was dropped");
        assertTrue(doc.text().contains("a: 1; b: 2"));
    }

    @Test
    void csvWithALongFieldAndManyQuotesIsLinear() throws Exception {
        byte[] csv = utf8("a," + "x".repeat(1_000_000) + "\"".repeat(1_000_000) + "\n");
        bounded(5_000, 1_024, () -> parsers.parse("quotes.csv", csv));
    }

    @Test
    void libraryExceptionsStayOutOfUserMessages() throws Exception {
        byte[] docx = HostileFiles.replaceEntry(OfficeParsersTest.sampleDocx(), "word/document.xml",
                utf8("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><w:document/>"));
        DocumentParseException e = refused("doctype.docx", docx);
        assertEquals(DocumentParseException.Reason.CORRUPT, e.reason());
        assertEquals("doctype.docx: is damaged or not a valid DOCX file, it cannot be read", e.getMessage());
        DocumentParseException pdf = refused("broken.pdf", "%PDF-1.4\n1 0 obj << /Type".getBytes(StandardCharsets.US_ASCII));
        assertTrue(UploadFuzzTest.isPlain(pdf.getMessage()), pdf.getMessage());
    }

    @Test
    void aParseOverItsBudgetIsRefused() throws Exception {
        DocumentParsers stingy = new DocumentParsers(ParseLimits.defaults().withBudgetPerMegabyte(1, 1L << 40));
        byte[] csv = utf8(("姓名,城市\n" + "张三,北京\n".repeat(200_000)));
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> stingy.parse("slow.csv", csv));
        assertEquals(DocumentParseException.Reason.OVER_BUDGET, e.reason());
        assertEquals("slow.csv: took longer than 0.003 s to read, the limit for a file of this size; refusing",
                e.getMessage());
        DocumentParsers small = new DocumentParsers(ParseLimits.defaults().withBudgetPerMegabyte(60_000, 1L << 20));
        DocumentParseException memory = assertThrows(DocumentParseException.class, () -> small.parse("big.csv", csv));
        assertEquals(DocumentParseException.Reason.OVER_BUDGET, memory.reason());
        assertTrue(memory.getMessage().contains("needed more than 3 MB of memory"), memory.getMessage());
    }

    @Test
    void theBudgetGrowsWithTheFile() {
        ParseLimits limits = ParseLimits.defaults();
        assertEquals(5_000_000_000L, ParseBudget.forFile(900_000, limits).maxNanos());
        assertEquals(10_000_000_000L, ParseBudget.forFile(1_500_000, limits).maxNanos());
        assertEquals(2L << 30, ParseBudget.forFile(1, limits).maxAllocatedBytes());
    }

    @Test
    void textRecognitionDoesNotCountAgainstTheBudget() throws Exception {
        ParseBudget budget = ParseBudget.forFile(1, ParseLimits.defaults().withBudgetPerMegabyte(50, 1L << 40));
        try (ParseBudget.Scope bound = budget.bind()) {
            try (ParseBudget.Scope ocr = ParseBudget.pause()) {
                Thread.sleep(100);
            }
            ParseBudget.checkCurrent();
            Thread.sleep(100);
            assertThrows(ParseBudgetExceededException.class, ParseBudget::checkCurrent);
        }
        ParseBudget.checkCurrent(); // unbound again: nothing to check
    }

    @Test
    void noParserCatchesStackOverflowError() throws IOException {
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java"))) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                assertFalse(java.nio.file.Files.readString(file).contains("catch (StackOverflowError"), file.toString());
            }
        }
    }
}
