package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.ParsedDocument;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.vectors.Embedder;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a pipeline: it finishes every file submitted before it returns (so a command that ingests a folder and
 * exits loses nothing it was given), refuses work afterwards, and, when the closing thread is interrupted, gives up
 * the files still being parsed with a reason that says they may be tried again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelineCloseTest {

    @TempDir
    Path dir;

    /** The real parsers, once {@link #release} is counted down; {@link #parsing} says a file got that far. */
    private static final class HeldParser implements ParseStep {
        final CountDownLatch parsing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final DocumentParsers parsers = DocumentParsers.withDefaults();

        @Override
        public ParsedDocument parse(String fileName, byte[] bytes) throws Exception {
            parsing.countDown();
            release.await();
            return parsers.parse(fileName, bytes);
        }
    }

    private static IngestOptions options(ParseStep parser) {
        ChineseChunker chunker = new ChineseChunker();
        return IngestOptions.of(parser, chunker::chunk).withWorkers(1).withCommitWindowMillis(0);
    }

    private static IngestSource text(String name, String text) {
        return IngestSource.of(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void closeReturnsOnlyOnceEverySubmittedFileIsCommitted() throws Exception {
        HeldParser parser = new HeldParser();
        DataFolder folder = DataFolder.at(dir);
        IngestOptions options = options(parser);
        IngestJob first;
        IngestJob second;
        try (ChunkIndex index = ChunkIndex.open(folder.index(), options.profile())) {
            IngestPipeline pipeline = IngestPipeline.open(folder, index, options);
            first = pipeline.submit(text("一.txt", "第一份文件讲长江。"));
            second = pipeline.submit(text("二.txt", "第二份文件讲黄河。"));
            assertTrue(parser.parsing.await(60, TimeUnit.SECONDS));

            CompletableFuture<Void> closed = new CompletableFuture<>();
            Thread closer = new Thread(() -> {
                pipeline.close();
                closed.complete(null);
            }, "closer");
            closer.start();
            Thread.State state;
            do {
                Thread.yield();
                state = closer.getState();
            } while (state != Thread.State.WAITING && state != Thread.State.TERMINATED);
            assertFalse(closed.isDone(), "close returned while a submitted file was still being parsed");
            assertThrows(IllegalStateException.class, () -> pipeline.submit(text("三.txt", "第三份。")),
                    "a closing pipeline takes no new files");

            parser.release.countDown();
            closed.get(60, TimeUnit.SECONDS);
            assertEquals(IngestOutcome.ADDED, first.progress().outcome(), "finished before close returned");
            assertEquals(IngestOutcome.ADDED, second.progress().outcome(), "finished before close returned");
            pipeline.close(); // a second close does nothing
        }
        try (ChunkIndex reopened = ChunkIndex.openReadOnly(folder.index())) {
            assertTrue(reopened.document(first.docId()).isPresent(), "committed, not only acknowledged");
            assertTrue(reopened.document(second.docId()).isPresent());
        }
    }

    @Test
    void aClosedPipelineRefusesFilesAndTheVectorStage() throws Exception {
        try (OpenedFolder folder = OpenedFolder.open(DataFolder.at(dir), options(DocumentParsers.withDefaults()::parse))) {
            folder.pipeline.close();
            IllegalStateException submit = assertThrows(IllegalStateException.class,
                    () -> folder.pipeline.submit(text("晚到.txt", "关闭之后才到的文件。")));
            assertEquals("the ingest pipeline is closed", submit.getMessage());
            BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test");
            Embedder embedder = Embedder.of(model, model.modelName(), BigramEmbeddingModel.DIMENSION, "");
            IllegalStateException vectors = assertThrows(IllegalStateException.class,
                    () -> folder.pipeline.startVectors(embedder));
            assertEquals("the ingest pipeline is closed", vectors.getMessage());
            assertTrue(folder.pipeline.vectors().isEmpty());
            assertTrue(folder.index.documents().isEmpty());
        }
    }

    @Test
    void closingFromAnInterruptedThreadEndsTheFilesStillQueuedToo() throws Exception {
        HeldParser parser = new HeldParser();
        ChineseChunker chunker = new ChineseChunker();
        IngestOptions options = IngestOptions.of(parser, chunker::chunk).withWorkers(1).withMaxQueued(4)
                .withCommitWindowMillis(0);
        try (OpenedFolder folder = OpenedFolder.open(DataFolder.at(dir), options)) {
            IngestJob parsing = folder.pipeline.submit(text("一.txt", "第一份文件讲长江。"));
            assertTrue(parser.parsing.await(60, TimeUnit.SECONDS));
            IngestJob queued = folder.pipeline.submit(text("二.txt", "第二份文件讲黄河。"));
            IngestJob sameName = folder.pipeline.submit(text("一.txt", "第一份文件的新版本。"));
            Thread.currentThread().interrupt();
            folder.pipeline.close();
            assertTrue(Thread.interrupted());

            // Whoever waits for a file (an upload request, a folder ingest) gets an answer, never a hang.
            for (IngestJob job : java.util.List.of(parsing, queued, sameName)) {
                IngestProgress given = job.completion().get(60, TimeUnit.SECONDS);
                assertEquals(IngestOutcome.FAILED, given.outcome(), given::toString);
                assertEquals("interrupted", given.reason());
                assertTrue(given.retryable());
            }
            assertTrue(folder.index.documents().isEmpty());
        }
    }

    @Test
    void closingFromAnInterruptedThreadGivesUpTheFilesBeingParsedAsRetryable() throws Exception {
        HeldParser parser = new HeldParser();
        try (OpenedFolder folder = OpenedFolder.open(DataFolder.at(dir), options(parser))) {
            IngestJob held = folder.pipeline.submit(text("一.txt", "第一份文件讲长江。"));
            assertTrue(parser.parsing.await(60, TimeUnit.SECONDS));
            Thread.currentThread().interrupt(); // e.g. the application is being stopped
            folder.pipeline.close();
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");

            IngestProgress given = held.completion().get(60, TimeUnit.SECONDS);
            assertEquals(IngestOutcome.FAILED, given.outcome());
            assertEquals("interrupted", given.reason());
            assertTrue(given.retryable(), "the file may be ingested again after a restart");
            assertTrue(folder.index.document(held.docId()).isEmpty());
        }
    }
    /**
     * An application that opens and closes pipelines (a test suite, a LangChain4j app re-opening its data folder)
     * must not collect their threads: after close, the workers and the committer have ended.
     */
    @Test
    void closeEndsThePipelinesThreads() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        DataFolder folder = DataFolder.at(dir);
        IngestOptions options = options(DocumentParsers.withDefaults()::parse).withWorkers(2);
        List<Thread> started;
        try (ChunkIndex index = ChunkIndex.open(folder.index(), options.profile())) {
            IngestPipeline pipeline = IngestPipeline.open(folder, index, options);
            assertTrue(pipeline.ingest(text("一.txt", "第一份文件讲长江。")).succeeded());
            started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                    .filter(t -> t.getName().startsWith("yinghuo-ingest")).toList();
            assertTrue(started.stream().anyMatch(t -> t.getName().equals("yinghuo-ingest-commit")), started::toString);
            assertTrue(started.size() >= 2, "a worker and the committer: " + started);
            pipeline.close();
        }
        for (Thread thread : started) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(thread.isAlive(), thread.getName() + " still runs after close");
        }
    }
}
