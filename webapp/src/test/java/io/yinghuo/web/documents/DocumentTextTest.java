package io.yinghuo.web.documents;

import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.web.documents.DocumentText.PageMark;
import io.yinghuo.web.documents.DocumentText.Range;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The viewer's text is rebuilt from the chunks with every offset where the citations put it: whitespace between
 * two chunks becomes a line break and spaces, a range is clamped to the document and to {@link DocumentText#MAX_CHARS},
 * and each page is marked where its first chunk enters the range.
 */
class DocumentTextTest {

    /** "甲乙丙" on page 1, two line breaks and two spaces, "丁戊己" on page 2: ten characters. */
    private static final List<ChunkRecord> TWO_PAGES = List.of(
            new ChunkRecord(0, 0, 3, "甲乙丙", 1, ""), new ChunkRecord(1, 7, 10, "丁戊己", 2, ""));

    @Test
    void whitespaceBetweenChunksIsALineBreakThenSpacesAndEveryOffsetStays() throws IOException {
        Range all = read(TWO_PAGES, 10, 0, 10);
        assertEquals("甲乙丙\n   丁戊己", all.text());
        assertEquals(List.of(new PageMark(1, 0), new PageMark(2, 7)), all.pages());
        assertEquals(10, all.totalChars());

        Range fromTheGap = read(TWO_PAGES, 10, 4, 10);
        assertEquals("\n  丁戊己", fromTheGap.text(), "a range that starts in the gap starts with its line break");
        assertEquals(List.of(new PageMark(2, 3)), fromTheGap.pages());
    }

    @Test
    void aRangeEndingWhereAChunkBeginsDoesNotMarkThatChunksPage() throws IOException {
        Range range = read(TWO_PAGES, 10, 0, 7);
        assertEquals("甲乙丙\n   ", range.text());
        assertEquals(List.of(new PageMark(1, 0)), range.pages());
        assertEquals(List.of(new PageMark(1, 0)), read(TWO_PAGES, 10, 1, 2).pages());
        assertEquals("乙", read(TWO_PAGES, 10, 1, 2).text());
    }

    @Test
    void chunksOfOnePageMarkItOnce() throws IOException {
        List<ChunkRecord> onePage = List.of(new ChunkRecord(0, 0, 2, "春天", 3, ""),
                new ChunkRecord(1, 2, 4, "来了", 3, ""));
        Range range = read(onePage, 4, 0, 4);
        assertEquals("春天来了", range.text());
        assertEquals(List.of(new PageMark(3, 0)), range.pages());
    }

    @Test
    void aRangeIsClampedToTheDocumentAndToTheMostOneRequestReturns() throws IOException {
        Range outside = read(TWO_PAGES, 10, -5, 100);
        assertEquals(0, outside.start());
        assertEquals(10, outside.end());
        Range backwards = read(TWO_PAGES, 10, 8, 3);
        assertEquals("", backwards.text());
        assertEquals(8, backwards.end());

        int total = DocumentText.MAX_CHARS + 5_000;
        String text = "长江黄河".repeat(total / 4);
        List<ChunkRecord> halves = List.of(new ChunkRecord(0, 0, total / 2, text.substring(0, total / 2), 1, ""),
                new ChunkRecord(1, total / 2, total, text.substring(total / 2), 1, ""));
        Range capped = read(halves, total, 100, total);
        assertEquals(100, capped.start());
        assertEquals(100 + DocumentText.MAX_CHARS, capped.end());
        assertEquals(text.substring(100, 100 + DocumentText.MAX_CHARS), capped.text());
    }

    private static Range read(List<ChunkRecord> chunks, int chars, int start, int end) throws IOException {
        DocumentRecord document = new DocumentRecord("d1", "", "a.txt", "a", "text", "00", chars * 3L, chars,
                chunks.size(), 0, "", 0);
        return DocumentText.read(storeOf(chunks), document, start, end);
    }

    /** An index that holds these chunks of document d1 and is asked nothing else. */
    private static ChunkStore storeOf(List<ChunkRecord> chunks) {
        return (ChunkStore) Proxy.newProxyInstance(ChunkStore.class.getClassLoader(), new Class<?>[] {ChunkStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("chunks") && "d1".equals(args[0])) {
                        return chunks;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
