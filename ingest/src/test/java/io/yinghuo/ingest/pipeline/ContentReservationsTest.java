package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.index.IndexProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.yinghuo.ingest.pipeline.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentReservationsTest {

    @TempDir
    Path dir;

    @Test
    void contentInFlightIsReservedForOneDocumentUntilReleased() throws Exception {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            ContentReservations reservations = new ContentReservations(index);
            IngestJob first = job(1, "甲.txt", "同样的内容。");
            IngestJob copy = job(2, "乙.txt", "同样的内容。");
            assertTrue(reservations.reserve(first));
            assertNull(first.replaced, "a new document replaces nothing");
            assertFalse(reservations.reserve(copy));
            assertEquals(IngestOutcome.DUPLICATE, copy.progress().outcome());
            assertTrue(copy.progress().message().contains(first.docId()), copy.progress().message());

            reservations.release(first); // e.g. the first one failed: the content is free again
            IngestJob retry = job(3, "乙.txt", "同样的内容。");
            assertTrue(reservations.reserve(retry));
            assertFalse(retry.completion().isDone());
        }
    }

    @Test
    void committedContentIsUnchangedUnderItsOwnNameAndDuplicateUnderAnother() throws Exception {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            ContentReservations reservations = new ContentReservations(index);
            DocumentRecord committed = TestJobs.commit(index, job(1, "甲.txt", "旧的内容。"), "");

            IngestJob same = job(2, "甲.txt", "旧的内容。");
            assertFalse(reservations.reserve(same));
            assertEquals(IngestOutcome.UNCHANGED, same.progress().outcome());

            IngestJob elsewhere = job(3, "丙.txt", "旧的内容。");
            assertFalse(reservations.reserve(elsewhere));
            assertEquals(IngestOutcome.DUPLICATE, elsewhere.progress().outcome());
            assertEquals("same content as 甲.txt (document " + committed.docId() + ")",
                    elsewhere.progress().message());

            IngestJob newVersion = job(4, "甲.txt", "新的内容。");
            assertTrue(reservations.reserve(newVersion));
            assertEquals(committed, newVersion.replaced, "the committed version it replaces");
        }
    }
}
