package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.parse.DocumentParsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same bytes are never indexed twice, and the rule holds only as long as the copy it points to: content whose
 * document was deleted, or whose upload failed, can be uploaded again.
 */
class DuplicateContentTest {

    @TempDir
    Path dir;

    private static final byte[] CONTENT = "黄河发源于青海省巴颜喀拉山脉，全长五千四百六十四公里。"
            .getBytes(StandardCharsets.UTF_8);

    private OpenedFolder open(ParseStep parser) throws java.io.IOException {
        ChineseChunker chunker = new ChineseChunker();
        return OpenedFolder.open(DataFolder.at(dir), IngestOptions.of(parser, chunker::chunk).withWorkers(1)
                .withCommitWindowMillis(0));
    }

    private static ParseStep realParser() {
        DocumentParsers parsers = DocumentParsers.withDefaults();
        return parsers::parse;
    }

    @Test
    void contentWhoseDocumentWasDeletedCanBeUploadedAgainUnderAnotherName() throws Exception {
        try (OpenedFolder folder = open(realParser())) {
            IngestProgress first = folder.pipeline.ingest(IngestSource.of("黄河.txt", CONTENT));
            assertEquals(IngestOutcome.ADDED, first.outcome());
            assertEquals(IngestOutcome.DUPLICATE,
                    folder.pipeline.ingest(IngestSource.of("黄河副本.txt", CONTENT)).outcome());
            assertTrue(folder.pipeline.delete(first.docId()));
            IngestProgress again = folder.pipeline.ingest(IngestSource.of("黄河副本.txt", CONTENT));
            assertEquals(IngestOutcome.ADDED, again.outcome(), again.message());
            assertEquals(1, folder.index.documents().size());
        }
    }

    @Test
    void contentWhoseUploadFailedCanBeUploadedAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ParseStep real = realParser();
        ParseStep failingOnce = (name, bytes) -> {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("the OCR engine was not ready");
            }
            return real.parse(name, bytes);
        };
        try (OpenedFolder folder = open(failingOnce)) {
            assertEquals(IngestOutcome.FAILED, folder.pipeline.ingest(IngestSource.of("黄河.txt", CONTENT)).outcome());
            IngestProgress retry = folder.pipeline.ingest(IngestSource.of("黄河-重传.txt", CONTENT));
            assertEquals(IngestOutcome.ADDED, retry.outcome(), retry.message());
        }
    }
}
