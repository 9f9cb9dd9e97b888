package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.retrieval.search.SearchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What admission promises while files are still being parsed: a bounded queue (a caller uploading many files waits
 * instead of filling the heap) and one document per name and collection (the same file name in two collections is
 * two documents, also when both are uploaded at once).
 */
class IngestAdmissionTest {

    @TempDir
    Path dir;

    /** Parses as the real parser does, once {@link #release} is counted down; tells {@link #parsing} it started. */
    private static final class HeldParser implements ParseStep {
        final CountDownLatch parsing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final DocumentParsers parsers = DocumentParsers.withDefaults();

        @Override
        public io.yinghuo.ingest.parse.ParsedDocument parse(String fileName, byte[] bytes) throws Exception {
            parsing.countDown();
            assertTrue(release.await(60, TimeUnit.SECONDS), "the test never released the parser");
            return parsers.parse(fileName, bytes);
        }
    }

    private OpenedFolder open(HeldParser parser, int maxQueued) throws java.io.IOException {
        ChineseChunker chunker = new ChineseChunker();
        return OpenedFolder.open(DataFolder.at(dir), IngestOptions.of(parser, chunker::chunk).withWorkers(1)
                .withMaxQueued(maxQueued).withCommitWindowMillis(0));
    }

    private static IngestSource text(String name, String text, String collection) {
        return new IngestSource(name, text.getBytes(StandardCharsets.UTF_8), collection);
    }

    @Test
    void aCallerWaitsOnceMaxQueuedFilesAreWaitingBehindTheWorkers() throws Exception {
        HeldParser parser = new HeldParser();
        try (OpenedFolder folder = open(parser, 1)) {
            IngestJob working = folder.pipeline.submit(text("一.txt", "第一份文件讲长江。", ""));
            assertTrue(parser.parsing.await(60, TimeUnit.SECONDS));
            IngestJob waiting = folder.pipeline.submit(text("二.txt", "第二份文件讲黄河。", ""));

            // One worker busy, one file queued: the third upload has to wait for a free place.
            CompletableFuture<IngestJob> third = new CompletableFuture<>();
            Thread uploader = new Thread(() -> {
                try {
                    third.complete(folder.pipeline.submit(text("三.txt", "第三份文件讲珠江。", "")));
                } catch (Throwable e) {
                    third.completeExceptionally(e);
                }
            }, "uploader");
            uploader.start();
            Thread.State state;
            do {
                Thread.yield();
                state = uploader.getState();
            } while (state != Thread.State.WAITING && state != Thread.State.TERMINATED);
            assertEquals(Thread.State.WAITING, state, "the third upload was admitted past the queue limit");
            assertFalse(third.isDone());

            parser.release.countDown();
            IngestJob last = third.get(60, TimeUnit.SECONDS);
            for (IngestJob job : List.of(working, waiting, last)) {
                assertEquals(IngestOutcome.ADDED, job.completion().get(60, TimeUnit.SECONDS).outcome());
            }
            assertEquals(3, folder.index.documents().size());
        }
    }

    @Test
    void theSameFileNameInTwoCollectionsUploadedTogetherIsTwoDocuments() throws Exception {
        HeldParser parser = new HeldParser();
        try (OpenedFolder folder = open(parser, 4)) {
            folder.pipeline.createCollection("合同");
            folder.pipeline.createCollection("制度");
            // Both admitted before either is committed: no catalogue entry can tell them apart, only the id.
            IngestJob contract = folder.pipeline.submit(text("说明.txt", "合同库的说明：付款期限为三十天。", "合同"));
            assertTrue(parser.parsing.await(60, TimeUnit.SECONDS));
            IngestJob rule = folder.pipeline.submit(text("说明.txt", "制度库的说明：每周一例会。", "制度"));
            assertNotEquals(contract.docId(), rule.docId());
            parser.release.countDown();
            assertEquals(IngestOutcome.ADDED, contract.completion().get(60, TimeUnit.SECONDS).outcome());
            assertEquals(IngestOutcome.ADDED, rule.completion().get(60, TimeUnit.SECONDS).outcome());

            assertEquals(2, folder.index.documents().size());
            assertEquals("合同", folder.index.document(contract.docId()).orElseThrow().collection());
            assertEquals("制度", folder.index.document(rule.docId()).orElseThrow().collection());
            assertEquals(List.of(contract.docId()), folder.searcher.search(SearchRequest.of("付款期限", 5)
                    .withCollections(Set.of("合同"))).stream().map(h -> h.docId()).toList());
            assertEquals(List.of(rule.docId()), folder.searcher.search(SearchRequest.of("每周例会", 5)
                    .withCollections(Set.of("制度"))).stream().map(h -> h.docId()).toList());
        }
    }
}
