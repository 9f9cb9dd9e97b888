package io.yinghuo.ingest.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OriginalStoreTest {

    @TempDir
    Path dir;

    @Test
    void savedFilesAreSyncedInOneBatchAndRemovedOnesAreSkipped() throws IOException {
        OriginalStore store = new OriginalStore(dir.resolve("originals"));
        byte[] first = "第一份".getBytes(StandardCharsets.UTF_8);
        byte[] second = "第二份".getBytes(StandardCharsets.UTF_8);
        String a = store.save("doc-a", "../../etc/甲.txt", "aaaaaaaaaaaa" + "0".repeat(52), first);
        String b = store.save("doc-b", "乙.txt", "bbbbbbbbbbbb" + "0".repeat(52), second);
        assertEquals("doc-a/aaaaaaaaaaaa-甲.txt", a);
        assertArrayEquals(first, Files.readAllBytes(store.resolve(a)));
        store.removeAllBut("doc-b", null);
        assertFalse(Files.exists(store.resolve(b)));
        store.sync(List.of(a, b)); // b is gone: nothing to make durable, and no error
        store.sync(List.of());
        assertArrayEquals(first, Files.readAllBytes(store.resolve(a)));
        try (var files = Files.list(store.resolve("doc-a"))) {
            assertEquals(1, files.count(), "no temporary file left beside the original");
        }
    }

    @Test
    void pathsOutsideTheFolderAreRefused() throws IOException {
        OriginalStore store = new OriginalStore(dir.resolve("originals"));
        assertThrows(IllegalArgumentException.class, () -> store.sync(List.of("../outside.txt")));
    }
}
