package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.yinghuo.ingest.pipeline.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginalsBookkeepingTest {

    @TempDir
    Path dir;

    @Test
    void openingRemovesExactlyTheOriginalsNoCommittedDocumentReferences() throws Exception {
        Path root = Files.createDirectories(dir.resolve("originals"));
        Path referenced = Files.writeString(root.resolve("kept.txt"), "在目录里");
        Path leftover = Files.writeString(root.resolve("crash-leftover.txt"), "没有目录条目");
        try (ChunkIndex index = ChunkIndex.open(dir.resolve("index"), IndexProfile.CHINESE_HYBRID)) {
            TestJobs.commit(index, job(1, "甲.txt", "在目录里"), "kept.txt");
            OriginalsBookkeeping.open(root, index);
        }
        assertTrue(Files.exists(referenced));
        assertFalse(Files.exists(leftover));
    }

    @Test
    void anOriginalOfAFileThatFailedBeforeStagingIsRemovedAndNotSynced() throws Exception {
        try (ChunkIndex index = ChunkIndex.open(dir.resolve("index"), IndexProfile.CHINESE_HYBRID)) {
            OriginalsBookkeeping originals = OriginalsBookkeeping.open(dir.resolve("originals"), index);
            String saved = originals.saveBeforeStaging(job(1, "甲.txt", "内容"));
            Path file = dir.resolve("originals").resolve(saved);
            assertTrue(Files.exists(file));
            originals.discardUnstaged(saved);
            originals.discardUnstaged(null); // failed before anything was saved
            assertFalse(Files.exists(file));
            originals.syncPending(); // nothing left to sync, and no error for the removed file
        }
    }

    @Test
    void aReplacedVersionsOriginalIsRemovedOnlyWhenStoredApart() throws Exception {
        try (ChunkIndex index = ChunkIndex.open(dir.resolve("index"), IndexProfile.CHINESE_HYBRID)) {
            OriginalsBookkeeping originals = OriginalsBookkeeping.open(dir.resolve("originals"), index);
            IngestJob old = job(1, "甲.txt", "旧版");
            String oldPath = originals.saveBeforeStaging(old);
            old.record = TestJobs.commit(index, old, oldPath);

            IngestJob sameFile = job(2, "甲.txt", "旧版");
            sameFile.replaced = old.record;
            sameFile.record = old.record;
            originals.removeReplaced(sameFile);
            assertTrue(Files.exists(dir.resolve("originals").resolve(oldPath)), "still the current original");

            IngestJob newVersion = job(3, "甲.txt", "新版");
            newVersion.replaced = old.record;
            newVersion.record = TestJobs.commit(index, newVersion, originals.saveBeforeStaging(newVersion));
            originals.removeReplaced(newVersion);
            assertFalse(Files.exists(dir.resolve("originals").resolve(oldPath)));
            assertTrue(Files.exists(dir.resolve("originals").resolve(newVersion.record.originalPath())));
        }
    }
}
