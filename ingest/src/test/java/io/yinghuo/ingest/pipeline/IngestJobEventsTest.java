package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.OcrProgress;
import io.yinghuo.ingest.parse.ParseWarning;
import io.yinghuo.ingest.parse.ParsedDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.yinghuo.ingest.pipeline.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a listener (the command line's progress lines, the web app's upload list) hears about one file: OCR pages
 * while a scan is parsed, each stage once, and one final state that nothing changes afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IngestJobEventsTest {

    @TempDir
    Path dir;

    /** The real parsers, reporting two recognised pages first as an OCR parser does for a two-page scan. */
    private static final class TwoPageScanParser implements ParseStep {
        private final DocumentParsers parsers = DocumentParsers.withDefaults();

        @Override
        public ParsedDocument parse(String fileName, byte[] bytes) throws Exception {
            return parsers.parse(fileName, bytes);
        }

        @Override
        public ParsedDocument parse(String fileName, byte[] bytes, OcrProgress progress) throws Exception {
            progress.pageRecognised(1, 2, 7);
            progress.pageRecognised(2, 2, 15);
            return parse(fileName, bytes);
        }
    }

    @Test
    void aScansRecognisedPagesAreParsingEventsAndTheNextStageClearsThem() throws Exception {
        List<IngestProgress> events = new CopyOnWriteArrayList<>();
        ChineseChunker chunker = new ChineseChunker();
        IngestOptions options = IngestOptions.of(new TwoPageScanParser(), chunker::chunk).withWorkers(1)
                .withCommitWindowMillis(0).withListener(events::add);
        IngestProgress done;
        try (OpenedFolder folder = OpenedFolder.open(DataFolder.at(dir), options)) {
            done = folder.pipeline.ingest(IngestSource.of("扫描件.txt",
                    "第一页讲故宫。第二页讲长城。".getBytes(StandardCharsets.UTF_8)));
            assertEquals(IngestOutcome.ADDED, done.outcome(), done::toString);
        }
        List<IngestProgress> ocr = events.stream().filter(p -> p.reason().equals("ocr_page")).toList();
        assertEquals(2, ocr.size(), events.toString());
        assertEquals(IngestStage.PARSING, ocr.get(0).stage());
        assertEquals("recognising text (OCR): page 1 of 2", ocr.get(0).message());
        assertEquals(List.of("1", "2"), ocr.get(0).reasonArgs());
        assertEquals(7, ocr.get(0).characters());
        assertEquals("recognising text (OCR): page 2 of 2", ocr.get(1).message());
        assertEquals(List.of("2", "2"), ocr.get(1).reasonArgs());
        assertEquals(15, ocr.get(1).characters());
        assertEquals(List.of(IngestStage.QUEUED, IngestStage.PARSING, IngestStage.PARSING, IngestStage.PARSING,
                IngestStage.CHUNKING, IngestStage.INDEXING, IngestStage.DONE),
                events.stream().map(IngestProgress::stage).toList());
        IngestProgress chunking = events.get(4);
        assertEquals("", chunking.reason(), "a page count belongs to parsing only");
        assertEquals(List.of(), chunking.reasonArgs());
        assertEquals("", chunking.message());
        // Each stage tells how far the file got: the parsed text's length from chunking on, the chunks from indexing.
        assertTrue(done.characters() > 0);
        assertEquals(done.characters(), chunking.characters());
        assertEquals(0, chunking.chunks());
        IngestProgress indexing = events.get(5);
        assertEquals(chunking.characters(), indexing.characters());
        assertTrue(indexing.chunks() >= 1);
        assertEquals(indexing.chunks(), events.get(6).chunks());
    }

    @Test
    void aFinalStateIsKeptAndLaterEventsAreIgnored() {
        List<IngestProgress> heard = new CopyOnWriteArrayList<>();
        IngestJob job = new IngestJob(7, IngestSource.of("报告.txt", new byte[]{1}), "doc-7", heard::add);
        job.moveTo(IngestStage.PARSING);
        job.finish(IngestOutcome.DUPLICATE, "same content as 旧报告.txt (document doc-1)", "duplicate",
                List.of("旧报告.txt", "doc-1"), false);
        // What might still arrive from a thread that has not seen the end: none of it changes the result.
        job.recognising(1, 3, 10);
        job.moveTo(IngestStage.INDEXING);
        job.finish(IngestOutcome.FAILED, "index commit failed: IOException: x", "commit_failed", List.of("x"), true);

        IngestProgress result = job.completion().join();
        assertEquals(List.of(IngestStage.PARSING, IngestStage.DONE), heard.stream().map(IngestProgress::stage).toList());
        for (IngestProgress now : List.of(result, job.progress())) {
            assertEquals(IngestStage.DONE, now.stage());
            assertEquals(IngestOutcome.DUPLICATE, now.outcome());
            assertEquals("same content as 旧报告.txt (document doc-1)", now.message());
            assertEquals("duplicate", now.reason());
            assertEquals(List.of("旧报告.txt", "doc-1"), now.reasonArgs());
            assertFalse(now.retryable());
            assertEquals(7, now.jobId());
            assertEquals("doc-7", now.docId());
            assertEquals("报告.txt", now.fileName());
        }
    }

    @Test
    void aListenerThatThrowsBreaksNothing() {
        IngestJob job = new IngestJob(1, IngestSource.of("a.txt", new byte[]{1}), "doc-1", p -> {
            throw new IllegalStateException("a broken progress line");
        });
        job.moveTo(IngestStage.PARSING);
        job.recognising(1, 1, 3);
        job.finish(IngestOutcome.FAILED, "no text found in the file", "failed", List.of("no text found in the file"),
                false);
        IngestProgress result = job.completion().join();
        assertEquals(IngestStage.FAILED, result.stage());
        assertEquals("no text found in the file", result.message());
        assertTrue(job.completion().isDone());
    }

    @Test
    void aFailedFilesWarningsAreDroppedAndAnAddedFilesKept() {
        IngestJob failed = job(1, "坏.txt", "x");
        failed.warnings(List.of(new ParseWarning("invalid_bytes", List.of("2", "UTF-8"), "2 个字节不是 UTF-8")));
        failed.finish(IngestOutcome.FAILED, "no text found in the file");
        assertEquals(List.of(), failed.progress().warnings(), "a refused file is not partly read");
        assertEquals("", failed.progress().reason(), "the short finish gives no reason code");

        IngestJob added = job(2, "好.txt", "y");
        added.warnings(List.of(new ParseWarning("invalid_bytes", List.of("2", "UTF-8"), "2 个字节不是 UTF-8")));
        added.counts(10, 2);
        added.finish(IngestOutcome.ADDED, "");
        IngestProgress result = added.progress();
        assertEquals(1, result.warnings().size());
        assertEquals(10, result.characters());
        assertEquals(2, result.chunks());
    }
}
