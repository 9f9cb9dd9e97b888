package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.retrieval.search.SearchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What admission promises while files are still being parsed: a bounded queue (a caller uploading many files waits
 * instead of filling the heap) and one document per name and collection (the same file name in two collections is
 * two documents, also when both are uploaded at once, and also when the collection's and the file's names run
 * together, or when documents moved away by collection renames hold the ids the name would have had).
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

    @Test
    void collectionAndFileNamesThatRunTogetherAreTwoDocuments() throws Exception {
        HeldParser parser = new HeldParser();
        try (OpenedFolder folder = open(parser, 4)) {
            // "财务" + "部报告.txt" and "财务部" + "报告.txt" read the same once run together.
            IngestJob first = folder.pipeline.submit(text("部报告.txt", "财务库里的部报告：预算已经批准。", "财务"));
            assertTrue(parser.parsing.await(60, TimeUnit.SECONDS));
            IngestJob second = folder.pipeline.submit(text("报告.txt", "财务部库里的报告：差旅标准调整。", "财务部"));
            assertNotEquals(first.docId(), second.docId());
            parser.release.countDown();
            assertEquals(IngestOutcome.ADDED, first.completion().get(60, TimeUnit.SECONDS).outcome());
            assertEquals(IngestOutcome.ADDED, second.completion().get(60, TimeUnit.SECONDS).outcome());
            assertEquals(2, folder.index.documents().size());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCollectionNameIsStoredAsTheCollectionEditorFindsIt() throws Exception {
        try (OpenedFolder folder = open(released(), 4)) {
            // A caller that passes the name as typed, white space around it: the document must land in the
            // collection that rename and delete find under the stripped name, not in one nothing can reach.
            String docId = added(folder, "合同.txt", "合同库的说明：付款期限为三十天。", "  合同 ");
            assertEquals("合同", folder.index.document(docId).orElseThrow().collection());
            assertEquals("合约", folder.pipeline.renameCollection("合同", "合约").name());
            assertEquals(1, folder.pipeline.deleteCollection("合约"));
            assertTrue(folder.index.documents().isEmpty());

            // A name the editor would refuse is refused for an upload too, before anything is stored.
            CollectionException refused = assertThrows(CollectionException.class,
                    () -> text("a.txt", "内容。", "库\u0007名"));
            assertEquals(CollectionException.Reason.NAME_HAS_CONTROL_CHARACTERS, refused.reason());
            assertEquals(CollectionException.Reason.NAME_TOO_LONG, assertThrows(CollectionException.class,
                    () -> text("a.txt", "内容。", "长".repeat(CollectionNames.MAX_LENGTH + 1))).reason());
        }
    }

    private static HeldParser released() {
        HeldParser parser = new HeldParser();
        parser.release.countDown();
        return parser;
    }

    private static String added(OpenedFolder folder, String name, String text, String collection)
            throws InterruptedException {
        IngestProgress progress = folder.pipeline.ingest(text(name, text, collection));
        assertEquals(IngestOutcome.ADDED, progress.outcome(), progress::toString);
        return progress.docId();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aNameWhoseIdsWereTakenAwayByTwoRenamesIsAThirdDocument() throws Exception {
        try (OpenedFolder folder = open(released(), 4)) {
            // Each rename moves the document with its id; the name uploaded again into the old collection must find
            // an id no other document holds, however many renames took the earlier ones.
            String first = added(folder, "长江.txt", "第一份长江资料：全长六千三百公里。", "资料");
            folder.pipeline.renameCollection("资料", "旧资料一");
            String second = added(folder, "长江.txt", "第二份长江资料：流经十一个省份。", "资料");
            folder.pipeline.renameCollection("资料", "旧资料二");
            String third = added(folder, "长江.txt", "第三份长江资料：注入东海。", "资料");

            assertEquals(3, java.util.Set.of(first, second, third).size());
            assertEquals("旧资料一", folder.index.document(first).orElseThrow().collection());
            assertEquals("旧资料二", folder.index.document(second).orElseThrow().collection());
            assertEquals("资料", folder.index.document(third).orElseThrow().collection());
        }
    }

    @Test
    void aMovedNamesNewIdIsNotTheIdOfANameThatEndsInADigit() throws Exception {
        try (OpenedFolder folder = open(released(), 4)) {
            added(folder, "长江.txt", "长江资料的第一版。", "资料");
            folder.pipeline.renameCollection("资料", "旧资料");
        }
        HeldParser parser = new HeldParser();
        try (OpenedFolder folder = open(parser, 4)) {
            // "长江.txt" needs its second candidate id now; "长江.txt1" is a different file: both admitted before
            // either commits, so only their ids tell them apart.
            IngestJob moved = folder.pipeline.submit(text("长江.txt", "新的长江资料。", "资料"));
            assertTrue(parser.parsing.await(60, TimeUnit.SECONDS));
            IngestJob digit = folder.pipeline.submit(text("长江.txt1", "另一个以数字结尾的文件。", "资料"));
            assertNotEquals(moved.docId(), digit.docId());
            parser.release.countDown();
            moved.completion().get(60, TimeUnit.SECONDS);
            digit.completion().get(60, TimeUnit.SECONDS);
            assertEquals("新的长江资料。", folder.index.chunks(moved.docId()).get(0).text());
        }
    }
}
