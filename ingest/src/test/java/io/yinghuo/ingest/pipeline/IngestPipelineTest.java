package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestPipelineTest {

    @TempDir
    Path dir;

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String article(String topic, int sentences) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            text.append(topic).append("的第").append(i).append("条记录说明了它的历史与现状。");
        }
        return text.toString();
    }

    /** How many stored originals a document has (files named after its id; any document folder counts too). */
    private long storedOriginals(String docId) throws IOException {
        try (Stream<Path> entries = Files.list(DataFolder.at(dir).originals())) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith(docId + ".") || name.equals(docId)).count();
        }
    }

    private OpenedFolder open(IngestListener listener) throws IOException {
        return OpenedFolder.open(DataFolder.at(dir), IngestOptions.defaults().withListener(listener));
    }

    @Test
    void whatTheParserCouldNotReadTravelsWithTheAddedDocumentsResult() throws Exception {
        // Two bytes that are not UTF-8 inside Chinese UTF-8 text: the file is added, and the job's result says that
        // two sequences were replaced, with a code and values a front end can put in the user's language.
        byte[] head = utf8("故宫位于北京市中心，是明清两代的皇家宫殿。");
        byte[] tail = utf8("长城横贯中国北方，是古代的军事防御工程。");
        byte[] bytes = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xFF;
        bytes[head.length + 1] = (byte) 0xFE;
        System.arraycopy(tail, 0, bytes, head.length + 2, tail.length);
        try (OpenedFolder folder = open(p -> { })) {
            IngestProgress done = folder.pipeline.ingest(IngestSource.of("损坏.txt", bytes));
            assertEquals(IngestOutcome.ADDED, done.outcome());
            assertEquals(1, done.warnings().size(), done.warnings().toString());
            assertEquals("invalid_bytes", done.warnings().get(0).code());
            assertEquals(List.of("2", "UTF-8"), done.warnings().get(0).args());

            IngestProgress clean = folder.pipeline.ingest(IngestSource.of("干净.txt", tail));
            assertEquals(IngestOutcome.ADDED, clean.outcome());
            assertEquals(List.of(), clean.warnings(), "a file read whole has nothing to say");
            IngestProgress failed = folder.pipeline.ingest(IngestSource.of("空.txt", utf8("   ")));
            assertEquals(IngestOutcome.FAILED, failed.outcome());
            assertEquals(List.of(), failed.warnings(), "a refused file is not partly read");
        }
    }

    @Test
    void reportsEveryStageAndAcknowledgesOnlyCommittedSearchableDocuments() throws Exception {
        Map<String, List<IngestStage>> stages = new ConcurrentHashMap<>();
        IngestListener listener = p -> stages.computeIfAbsent(p.fileName(), f -> new CopyOnWriteArrayList<>())
                .add(p.stage());
        byte[] bytes = utf8("故宫位于北京市中心，是明清两代的皇家宫殿。\n长城横贯中国北方。");
        try (OpenedFolder folder = open(listener)) {
            IngestPipeline pipeline = folder.pipeline;
            IngestProgress done = pipeline.ingest(IngestSource.of("故宫.txt", bytes));
            assertEquals(IngestStage.DONE, done.stage());
            assertEquals(IngestOutcome.ADDED, done.outcome());
            assertTrue(done.chunks() >= 1);
            assertEquals(List.of(IngestStage.QUEUED, IngestStage.PARSING, IngestStage.CHUNKING, IngestStage.INDEXING,
                    IngestStage.DONE), stages.get("故宫.txt"));
            // Acknowledged means committed: a read-only reader of the folder sees it.
            try (var reader = ChunkIndex.openReadOnly(DataFolder.at(dir).index())) {
                assertTrue(reader.document(done.docId()).isPresent());
            }
            DocumentRecord record = folder.index.document(done.docId()).orElseThrow();
            assertEquals("故宫.txt", record.fileName());
            assertEquals(DocumentIds.sha256(bytes), record.sha256());
            assertArrayEquals(bytes, Files.readAllBytes(folder.originals.resolve(record.originalPath())));
            SearchHit hit = folder.searcher.search(SearchRequest.of("故宫在哪里？", 1)).get(0);
            assertEquals(done.docId(), hit.docId());
            assertEquals("故宫.txt", hit.fileName());
        }
    }

    @Test
    void sameBytesAreNeverIndexedTwice() throws Exception {
        byte[] bytes = utf8(article("黄河", 5));
        try (OpenedFolder folder = open(IngestListener.NONE)) {
            IngestPipeline pipeline = folder.pipeline;
            IngestProgress first = pipeline.ingest(IngestSource.of("黄河.txt", bytes));
            int chunks = folder.index.chunkCount();
            IngestProgress again = pipeline.ingest(IngestSource.of("黄河.txt", bytes));
            assertEquals(IngestOutcome.UNCHANGED, again.outcome());
            IngestProgress copy = pipeline.ingest(IngestSource.of("副本/黄河 (1).txt", bytes));
            assertEquals(IngestOutcome.DUPLICATE, copy.outcome());
            assertTrue(copy.message().contains("黄河.txt") && copy.message().contains(first.docId()),
                    copy.message());
            assertEquals(chunks, folder.index.chunkCount());
            assertEquals(1, folder.index.documents().size());

            // The same new content submitted under many names at once: exactly one copy gets in.
            byte[] other = utf8(article("长江", 6));
            List<IngestJob> jobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                jobs.add(pipeline.submit(IngestSource.of("长江-" + i + ".txt", other)));
            }
            List<IngestOutcome> outcomes = jobs.stream().map(j -> j.completion().join().outcome()).toList();
            assertEquals(1, Collections.frequency(outcomes, IngestOutcome.ADDED), outcomes.toString());
            assertEquals(5, Collections.frequency(outcomes, IngestOutcome.DUPLICATE), outcomes.toString());
            assertEquals(2, folder.index.documents().size());
        }
    }

    @Test
    void sameNameWithNewContentReplacesTheOldChunks() throws Exception {
        try (OpenedFolder folder = open(IngestListener.NONE)) {
            IngestPipeline pipeline = folder.pipeline;
            IngestProgress v1 = pipeline.ingest(IngestSource.of("报告.txt", utf8(article("旧版苹果", 40))));
            assertTrue(v1.chunks() > 1);
            IngestProgress v2 = pipeline.ingest(IngestSource.of("报告.txt", utf8("新版只写西瓜。")));
            assertEquals(IngestOutcome.REPLACED, v2.outcome());
            assertEquals(v1.docId(), v2.docId());
            List<ChunkRecord> chunks = folder.index.chunks(v2.docId());
            assertEquals(1, chunks.size());
            assertEquals("新版只写西瓜。", chunks.get(0).text());
            assertTrue(folder.searcher.search(SearchRequest.of("旧版苹果", 5)).isEmpty());
            assertEquals(1, folder.index.chunkCount());
            assertEquals(1, storedOriginals(v2.docId()), "the old original is removed after the commit");
        }
    }

    @Test
    void deleteRemovesChunksCatalogueAndOriginal() throws Exception {
        try (OpenedFolder folder = open(IngestListener.NONE)) {
            IngestPipeline pipeline = folder.pipeline;
            IngestProgress gone = pipeline.ingest(IngestSource.of("删除我.txt", utf8(article("删除", 30))));
            IngestProgress kept = pipeline.ingest(IngestSource.of("保留.txt", utf8(article("保留", 3))));
            assertTrue(pipeline.delete(gone.docId()));
            assertFalse(pipeline.delete(gone.docId()));
            assertTrue(folder.index.document(gone.docId()).isEmpty());
            assertTrue(folder.index.chunks(gone.docId()).isEmpty());
            assertEquals(kept.chunks(), folder.index.chunkCount());
            assertEquals(0, storedOriginals(gone.docId()));
            assertEquals(1, storedOriginals(kept.docId()));
            // Deleting frees the content: the same bytes can come back.
            assertEquals(IngestOutcome.ADDED,
                    pipeline.ingest(IngestSource.of("删除我.txt", utf8(article("删除", 30)))).outcome());
        }
    }

    @Test
    void aFailingFileGetsItsOwnReasonAndOthersGoOn() throws Exception {
        try (OpenedFolder folder = open(IngestListener.NONE)) {
            IngestPipeline pipeline = folder.pipeline;
            IngestJob bad = pipeline.submit(IngestSource.of("坏文件.pdf", utf8("this is not a PDF")));
            IngestJob empty = pipeline.submit(IngestSource.of("空.txt", utf8("   \n ")));
            IngestJob good = pipeline.submit(IngestSource.of("好.txt", utf8("正常的文件内容。")));
            pipeline.awaitIdle();
            IngestProgress badResult = bad.progress();
            assertEquals(IngestStage.FAILED, badResult.stage());
            assertEquals(IngestOutcome.FAILED, badResult.outcome());
            assertFalse(badResult.message().isBlank());
            assertFalse(badResult.message().contains("Exception"), badResult.message());
            assertEquals(IngestStage.FAILED, empty.progress().stage());
            assertFalse(empty.progress().message().isBlank());
            assertEquals(IngestOutcome.ADDED, good.progress().outcome());
            assertEquals(1, folder.index.documents().size());
            assertTrue(folder.index.document(bad.docId()).isEmpty());
        }
    }

    @Test
    void restartShowsEveryAcknowledgedDocumentAndCleansCrashLeftovers() throws Exception {
        List<IngestProgress> acknowledged = new ArrayList<>();
        try (OpenedFolder folder = open(IngestListener.NONE)) {
            IngestPipeline pipeline = folder.pipeline;
            List<IngestJob> jobs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                jobs.add(pipeline.submit(IngestSource.of("文件" + i + ".txt", utf8(article("主题" + i, 3 + i)))));
            }
            for (IngestJob job : jobs) {
                acknowledged.add(job.completion().join());
            }
        }
        // What a crash between storing an original and committing leaves behind:
        Path stray = DataFolder.at(dir).originals().resolve("0123456789abcdef0123.abcdefabcdef-孤儿.txt");
        Files.write(stray, utf8("x"));
        try (OpenedFolder folder = open(IngestListener.NONE)) {
            IngestPipeline pipeline = folder.pipeline;
            for (IngestProgress p : acknowledged) {
                assertEquals(IngestOutcome.ADDED, p.outcome());
                DocumentRecord record = folder.index.document(p.docId()).orElseThrow();
                assertEquals(p.chunks(), record.chunkCount());
                assertEquals(p.chunks(), folder.index.chunks(p.docId()).size());
                assertTrue(Files.exists(folder.originals.resolve(record.originalPath())));
            }
            assertFalse(Files.exists(stray));
        }
    }

    @Test
    void originalsGetSafeNamesInsideTheDataFolder() throws Exception {
        assertEquals("x.txt", OriginalStore.safeName("../../etc/x.txt"));
        assertEquals("evil.txt", OriginalStore.safeName("..\\..\\evil.txt"));
        assertEquals("file", OriginalStore.safeName(".."));
        assertEquals("a_b_c.txt", OriginalStore.safeName("a:b*c.txt"));
        assertEquals("中文 名.pdf".replace(' ', '_'), OriginalStore.safeName("中文 名.pdf"));
        assertTrue(OriginalStore.safeName("长".repeat(300) + ".pdf").endsWith(".pdf"));
        try (OpenedFolder folder = open(IngestListener.NONE)) {
            IngestPipeline pipeline = folder.pipeline;
            IngestProgress p = pipeline.ingest(IngestSource.of("../../../outside/../../x.txt", utf8("越界测试。")));
            assertEquals(IngestOutcome.ADDED, p.outcome());
            Path stored = folder.originals.resolve(folder.index.document(p.docId()).orElseThrow()
                    .originalPath());
            assertTrue(stored.startsWith(folder.originals.root()));
            assertTrue(stored.getFileName().toString().endsWith("-x.txt"));
        }
    }

    @Test
    void searchesKeepWorkingDuringIngestionAndNeverSeePartialDocuments() throws Exception {
        AtomicBoolean ingesting = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger searches = new AtomicInteger();
        try (OpenedFolder folder = OpenedFolder.open(DataFolder.at(dir),
                IngestOptions.defaults().withCommitWindowMillis(0))) {
            IngestPipeline pipeline = folder.pipeline;
            Thread reader = new Thread(() -> {
                try {
                    boolean last = false;
                    while (!last) {
                        last = !ingesting.get();
                        List<SearchHit> hits = folder.searcher.search(SearchRequest.of("记录 历史", 50));
                        searches.incrementAndGet();
                        for (SearchHit hit : hits) {
                            // Every visible chunk belongs to a committed document whose chunks are all there.
                            DocumentRecord record = folder.index.document(hit.docId()).orElseThrow();
                            assertTrue(hit.chunkIndex() < record.chunkCount());
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            reader.start();
            List<IngestJob> jobs = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                jobs.add(pipeline.submit(IngestSource.of("并发" + i + ".txt", utf8(article("并发" + i, 20)))));
            }
            pipeline.awaitIdle();
            ingesting.set(false);
            reader.join();
            assertNull(failure.get(), () -> "search failed during ingestion: " + failure.get());
            assertTrue(searches.get() >= 1);
            for (IngestJob job : jobs) {
                assertEquals(IngestOutcome.ADDED, job.progress().outcome());
                assertEquals(job.progress().chunks(), folder.index.chunks(job.docId()).size());
            }
        }
    }

    @Test
    void opensOnlyOnTheWritableIndexOfItsOwnFolderAndLeavesItOpen() throws Exception {
        DataFolder folder = DataFolder.at(dir.resolve("a"));
        DataFolder other = DataFolder.at(dir.resolve("b"));
        IngestOptions options = IngestOptions.defaults();
        try (ChunkIndex index = ChunkIndex.open(folder.index(), options.profile())) {
            // Another folder's index would make the clean-up remove every original this folder has.
            Path kept = Files.createDirectories(other.originals()).resolve("0123456789abcdef0123.abcdefabcdef-x.txt");
            Files.write(kept, utf8("x"));
            assertThrows(IllegalArgumentException.class, () -> IngestPipeline.open(other, index, options));
            assertTrue(Files.exists(kept));
            assertThrows(IllegalArgumentException.class, () -> IngestPipeline.open(folder, index,
                    options.withProfile(IndexProfile.CJK_BIGRAM_BASELINE)));

            IngestPipeline pipeline = IngestPipeline.open(folder, index, options);
            IngestProgress added = pipeline.ingest(IngestSource.of("留下.txt", utf8("关闭管道后索引仍可读。")));
            pipeline.close();
            assertTrue(index.document(added.docId()).isPresent(), "the index belongs to its opener");
        }
        try (ChunkIndex readOnly = ChunkIndex.openReadOnly(folder.index())) {
            assertThrows(IllegalArgumentException.class, () -> IngestPipeline.open(folder, readOnly, options));
        }
    }
}
