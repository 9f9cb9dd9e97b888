package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.Chunk;
import io.yinghuo.ingest.parse.ParsedDocument;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexRecordsTest {

    private static final String TEXT = "第一段说明。第二段补充。";

    private static ParsedDocument parsed(String title, List<ParsedDocument.PageSpan> pages) {
        return new ParsedDocument(TEXT, title, "text", pages, List.of());
    }

    @Test
    void chunksBecomeRecordsInOrderWithPageAtLeastOneAndNoNullHeading() {
        List<ChunkRecord> records = IndexRecords.chunks(parsed(null, List.of()), List.of(
                new Chunk(0, 0, 6, "第一段说明。", 0, null, 3),
                new Chunk(1, 6, 12, "第二段补充。", 2, "附录", 3)));
        assertEquals(List.of(new ChunkRecord(0, 0, 6, "第一段说明。", 1, ""),
                new ChunkRecord(1, 6, 12, "第二段补充。", 2, "附录")), records);
    }

    @Test
    void aChunkThatDoesNotMatchTheTextAtItsOffsetsFailsTheFile() {
        ParsedDocument document = parsed(null, List.of());
        IllegalStateException shifted = assertThrows(IllegalStateException.class, () -> IndexRecords.chunks(document,
                List.of(new Chunk(0, 1, 7, "第一段说明。", 1, "", 3))));
        assertEquals("chunk 0 does not match the text at [1, 7)", shifted.getMessage());
        assertThrows(IllegalStateException.class, () -> IndexRecords.chunks(document,
                List.of(new Chunk(0, 6, 20, "第二段补充。", 1, "", 3))), "past the end of the text");
        assertThrows(IllegalStateException.class, () -> IndexRecords.chunks(document, List.of()));
        assertThrows(IllegalStateException.class, () -> IndexRecords.chunks(document, null));
    }

    @Test
    void titleIsTheParsedOneElseTheBaseNameWithoutExtension() {
        assertEquals("年度报告", IndexRecords.title(parsed("  年度报告 \n", List.of()), "x.pdf"));
        assertEquals("报告", IndexRecords.title(parsed(" ", List.of()), "资料/2024\\报告.pdf"));
        assertEquals("archive.tar", IndexRecords.title(parsed(null, List.of()), "archive.tar.gz"));
        assertEquals(".profile", IndexRecords.title(parsed(null, List.of()), "home/.profile"));
    }

    @Test
    void pageCountIsTheHighestPageAndAtLeastOne() {
        assertEquals(1, IndexRecords.pageCount(parsed(null, List.of())));
        assertEquals(7, IndexRecords.pageCount(parsed(null, List.of(new ParsedDocument.PageSpan(7, 0, 6),
                new ParsedDocument.PageSpan(3, 6, 12)))));
    }

    @Test
    void documentRecordDescribesTheJobsFile() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        IngestJob job = new IngestJob(1, new IngestSource("手册/说明.txt", bytes, "产品"), "doc-1",
                IngestListener.NONE);
        job.sha256 = DocumentIds.sha256(bytes);
        long before = System.currentTimeMillis();
        DocumentRecord record = IndexRecords.document(job, new ParsedDocument(TEXT, null, null,
                List.of(new ParsedDocument.PageSpan(2, 0, 12)), List.of()), 2, "doc-1.abc-说明.txt");
        assertEquals(new DocumentRecord("doc-1", "产品", "手册/说明.txt", "说明", "", job.sha256, bytes.length,
                TEXT.length(), 2, 2, "doc-1.abc-说明.txt", record.ingestedAtMillis()), record);
        assertTrue(record.ingestedAtMillis() >= before);
    }
}
