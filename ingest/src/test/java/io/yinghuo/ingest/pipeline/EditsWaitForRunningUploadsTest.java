package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.ParsedDocument;
import io.yinghuo.retrieval.index.CollectionRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A collection edit or a deletion issued while an upload it touches is still being parsed waits for that upload and
 * then takes it into account: the file ends where the edit says, never in a collection that was renamed or deleted
 * under it (what {@link CollectionEditor} and {@link IngestPipeline#delete} promise). Each test holds the upload in
 * its parser, starts the edit on another thread, checks that the edit is blocked, and only then lets the upload go.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EditsWaitForRunningUploadsTest {

    @TempDir
    Path dir;

    /** Parses with the real parsers; a file whose text contains {@link #HOLD} waits until {@link #release}. */
    private static final class HoldingParser implements ParseStep {
        static final String HOLD = "【待定】";
        final CountDownLatch parsing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final DocumentParsers parsers = DocumentParsers.withDefaults();

        @Override
        public ParsedDocument parse(String fileName, byte[] bytes) throws Exception {
            if (new String(bytes, StandardCharsets.UTF_8).contains(HOLD)) {
                parsing.countDown();
                assertTrue(release.await(60, TimeUnit.SECONDS), "the test never released the parser");
            }
            return parsers.parse(fileName, bytes);
        }
    }

    private final HoldingParser parser = new HoldingParser();

    private OpenedFolder open() throws IOException {
        ChineseChunker chunker = new ChineseChunker();
        return OpenedFolder.open(DataFolder.at(dir), IngestOptions.of(parser, chunker::chunk).withWorkers(2)
                .withCommitWindowMillis(0));
    }

    private static IngestSource text(String name, String text, String collection) {
        return new IngestSource(name, text.getBytes(StandardCharsets.UTF_8), collection);
    }

    /** Submits a file the parser holds, and returns once a worker is parsing it. */
    private IngestJob heldUpload(OpenedFolder folder, String name, String text, String collection)
            throws InterruptedException {
        IngestJob job = folder.pipeline.submit(text(name, HoldingParser.HOLD + text, collection));
        assertTrue(parser.parsing.await(60, TimeUnit.SECONDS), "the upload never reached the parser");
        return job;
    }

    /**
     * Runs {@code edit} on a thread of its own and returns once that thread is blocked, waiting; fails when the edit
     * finished instead, i.e. ran while the held upload was still being parsed.
     */
    private static <T> CompletableFuture<T> blockedEdit(String what, Callable<T> edit) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(edit.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "edit");
        thread.start();
        Thread.State state;
        do {
            Thread.yield();
            state = thread.getState();
        } while (state != Thread.State.WAITING && state != Thread.State.TERMINATED);
        assertEquals(Thread.State.WAITING, state, what + " ran while an upload it touches was still being parsed");
        assertFalse(result.isDone());
        return result;
    }

    private static Set<String> collectionNames(OpenedFolder folder) {
        return folder.index.collections().stream().map(CollectionRecord::name).collect(Collectors.toSet());
    }

    @Test
    void aRenameWaitsForAnUploadIntoTheCollectionAndTakesItAlong() throws Exception {
        try (OpenedFolder folder = open()) {
            folder.pipeline.createCollection("合同");
            IngestJob upload = heldUpload(folder, "付款.txt", "付款期限为三十天。", "合同");
            CompletableFuture<CollectionRecord> rename = blockedEdit("the rename",
                    () -> folder.pipeline.renameCollection("合同", "合约"));

            parser.release.countDown();
            assertEquals(IngestOutcome.ADDED, upload.completion().get(60, TimeUnit.SECONDS).outcome());
            CollectionRecord renamed = rename.get(60, TimeUnit.SECONDS);
            assertEquals("合约", renamed.name());
            assertEquals(1, renamed.documents(), "the file uploaded during the rename moved with the collection");
            assertEquals("合约", folder.index.document(upload.docId()).orElseThrow().collection());
            assertEquals(Set.of("", "合约"), collectionNames(folder), "nothing is left under the old name");

            // The edit is over: uploads from other threads are admitted again.
            IngestProgress later = folder.pipeline.ingest(text("验收.txt", "验收在交货后七天内完成。", "合约"));
            assertEquals(IngestOutcome.ADDED, later.outcome(), later::toString);
            assertEquals(2, folder.index.collections().stream().filter(c -> c.name().equals("合约"))
                    .findFirst().orElseThrow().documents());
        }
    }

    @Test
    void anEditOfAnotherCollectionDoesNotWaitForTheUpload() throws Exception {
        try (OpenedFolder folder = open()) {
            folder.pipeline.createCollection("合同");
            folder.pipeline.createCollection("制度");
            IngestJob upload = heldUpload(folder, "付款.txt", "付款期限为三十天。", "合同");
            CompletableFuture<CollectionRecord> rename = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    rename.complete(folder.pipeline.renameCollection("制度", "规章"));
                } catch (Throwable e) {
                    rename.completeExceptionally(e);
                }
            }, "edit");
            thread.start();
            Thread.State state;
            do {
                Thread.yield();
                state = thread.getState();
            } while (state != Thread.State.WAITING && state != Thread.State.TERMINATED);
            assertEquals(Thread.State.TERMINATED, state, "a rename waited for an upload into another collection");
            assertEquals("规章", rename.get(60, TimeUnit.SECONDS).name());
            assertFalse(upload.completion().isDone());
            parser.release.countDown();
            assertEquals(IngestOutcome.ADDED, upload.completion().get(60, TimeUnit.SECONDS).outcome());
        }
    }

    @Test
    void aRenameOntoTheCollectionAnUploadIsCreatingWaitsAndIsRefused() throws Exception {
        try (OpenedFolder folder = open()) {
            folder.pipeline.createCollection("合同");
            IngestJob upload = heldUpload(folder, "例会.txt", "每周一上午开例会。", "制度");
            CompletableFuture<CollectionRecord> rename = blockedEdit("the rename",
                    () -> folder.pipeline.renameCollection("合同", "制度"));

            parser.release.countDown();
            assertEquals(IngestOutcome.ADDED, upload.completion().get(60, TimeUnit.SECONDS).outcome());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> rename.get(60, TimeUnit.SECONDS));
            CollectionException reason = assertInstanceOf(CollectionException.class, refused.getCause());
            assertEquals(CollectionException.Reason.EXISTS, reason.reason(), "two collections are never merged");
            assertEquals("制度", folder.index.document(upload.docId()).orElseThrow().collection());
            assertEquals(Set.of("", "合同", "制度"), collectionNames(folder));
        }
    }

    @Test
    void creatingTheCollectionAnUploadIsCreatingWaitsAndIsRefused() throws Exception {
        try (OpenedFolder folder = open()) {
            IngestJob upload = heldUpload(folder, "例会.txt", "每周一上午开例会。", "制度");
            CompletableFuture<CollectionRecord> create = blockedEdit("the creation",
                    () -> folder.pipeline.createCollection("制度"));

            parser.release.countDown();
            assertEquals(IngestOutcome.ADDED, upload.completion().get(60, TimeUnit.SECONDS).outcome());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> create.get(60, TimeUnit.SECONDS));
            assertEquals(CollectionException.Reason.EXISTS,
                    assertInstanceOf(CollectionException.class, refused.getCause()).reason());
            assertEquals(1, folder.index.collections().stream().filter(c -> c.name().equals("制度"))
                    .findFirst().orElseThrow().documents());
        }
    }

    @Test
    void deletingACollectionWaitsForAnUploadIntoItAndDeletesThatFileToo() throws Exception {
        try (OpenedFolder folder = open()) {
            folder.pipeline.createCollection("临时");
            IngestJob upload = heldUpload(folder, "运河.txt", "大运河北起北京，南到杭州。", "临时");
            CompletableFuture<Integer> delete = blockedEdit("the deletion",
                    () -> folder.pipeline.deleteCollection("临时"));

            parser.release.countDown();
            IngestProgress added = upload.completion().get(60, TimeUnit.SECONDS);
            assertEquals(IngestOutcome.ADDED, added.outcome());
            assertEquals(1, delete.get(60, TimeUnit.SECONDS), "the file uploaded during the deletion went too");
            assertTrue(folder.index.document(upload.docId()).isEmpty());
            assertEquals(Set.of(""), collectionNames(folder));
            try (var originals = Files.list(DataFolder.at(dir).originals())) {
                assertEquals(0, originals.count(), "its original went with it");
            }
            IngestProgress later = folder.pipeline.ingest(text("运河.txt", "大运河全长约一千八百公里。", "临时"));
            assertEquals(IngestOutcome.ADDED, later.outcome(), "uploads are admitted again after the deletion");
        }
    }

    @Test
    void deletingADocumentWaitsForItsNewVersionAndDeletesThatToo() throws Exception {
        try (OpenedFolder folder = open()) {
            IngestProgress first = folder.pipeline.ingest(text("报告.txt", "第一版报告讲长江。", ""));
            assertEquals(IngestOutcome.ADDED, first.outcome(), first::toString);
            IngestJob second = heldUpload(folder, "报告.txt", "第二版报告讲黄河。", "");
            assertEquals(first.docId(), second.docId());
            CompletableFuture<Boolean> delete = blockedEdit("the deletion",
                    () -> folder.pipeline.delete(first.docId()));

            parser.release.countDown();
            assertEquals(IngestOutcome.REPLACED, second.completion().get(60, TimeUnit.SECONDS).outcome());
            assertTrue(delete.get(60, TimeUnit.SECONDS));
            assertTrue(folder.index.document(first.docId()).isEmpty(), "the new version is deleted too");
            assertEquals(0, folder.index.chunkCount());
            assertTrue(folder.index.documents().isEmpty());
            try (var originals = Files.list(DataFolder.at(dir).originals())) {
                assertEquals(0, originals.count(), "neither version's original is left");
            }
            IngestProgress again = folder.pipeline.ingest(text("报告.txt", "第三版报告讲珠江。", ""));
            assertEquals(IngestOutcome.ADDED, again.outcome(), "uploads are admitted again after the deletion");
        }
    }
}
