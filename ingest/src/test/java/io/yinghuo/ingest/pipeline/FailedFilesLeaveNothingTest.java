package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.ChunkStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wherever a file fails on a worker, it ends FAILED with a reason a user can act on, and leaves nothing behind: no
 * original in the data folder, no reservation of its content ({@link FileStager}'s promise).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailedFilesLeaveNothingTest {

    @TempDir
    Path dir;

    private static final byte[] CONTENT = "珠江是中国南方最大的河流，流经广州。".getBytes(StandardCharsets.UTF_8);

    /** The index, except that its first {@code failures} stagings of a document fail as a full disk does. */
    private static ChunkStore failingToStage(ChunkIndex index, int failures) {
        AtomicInteger left = new AtomicInteger(failures);
        return (ChunkStore) Proxy.newProxyInstance(ChunkStore.class.getClassLoader(), new Class<?>[]{ChunkStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("stageReplace") && left.getAndDecrement() > 0) {
                        throw new IOException("No space left on device");
                    }
                    try {
                        return method.invoke(index, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static IngestOptions options(ParseStep parser) {
        ChineseChunker chunker = new ChineseChunker();
        return IngestOptions.of(parser, chunker::chunk).withWorkers(1).withCommitWindowMillis(0);
    }

    private static ParseStep realParser() {
        DocumentParsers parsers = DocumentParsers.withDefaults();
        return parsers::parse;
    }

    private long storedOriginals() throws IOException {
        Path originals = DataFolder.at(dir).originals();
        if (!Files.exists(originals)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(originals)) {
            return files.count();
        }
    }

    @Test
    void aFileTheIndexCannotStageFailsWithTheReasonAndLeavesNoOriginal() throws Exception {
        DataFolder folder = DataFolder.at(dir);
        IngestOptions options = options(realParser());
        try (ChunkIndex index = ChunkIndex.open(folder.index(), options.profile())) {
            IngestPipeline pipeline = IngestPipeline.open(folder, failingToStage(index, 1), options);
            try {
                IngestProgress failed = pipeline.ingest(IngestSource.of("珠江.txt", CONTENT));
                assertEquals(IngestOutcome.FAILED, failed.outcome());
                assertEquals("IOException: No space left on device", failed.message());
                assertEquals("io_error", failed.reason());
                assertTrue(failed.retryable(), "a full disk may have room again");
                assertEquals(0, storedOriginals(), "the original saved before staging is removed");
                assertTrue(index.documents().isEmpty());

                // Nothing holds the content: the same bytes come in under another name once the disk has room.
                IngestProgress retried = pipeline.ingest(IngestSource.of("珠江-重传.txt", CONTENT));
                assertEquals(IngestOutcome.ADDED, retried.outcome(), retried::toString);
                assertEquals(1, storedOriginals());
            } finally {
                pipeline.close();
            }
        }
    }

    @Test
    void aParserThatReturnsNoDocumentFailsTheFileWithAClearReason() throws Exception {
        List<ParseStep> parsers = List.of((name, bytes) -> null,
                (name, bytes) -> new io.yinghuo.ingest.parse.ParsedDocument(null, "标题", "text", List.of(), List.of(),
                        List.of()));
        for (ParseStep parser : parsers) {
            try (OpenedFolder folder = OpenedFolder.open(DataFolder.at(dir), options(parser))) {
                IngestProgress failed = folder.pipeline.ingest(IngestSource.of("空.txt", CONTENT));
                assertEquals(IngestOutcome.FAILED, failed.outcome());
                assertEquals("the parser returned no document", failed.message());
                assertFalse(failed.retryable());
                assertEquals(0, storedOriginals());
            }
        }
    }
}
