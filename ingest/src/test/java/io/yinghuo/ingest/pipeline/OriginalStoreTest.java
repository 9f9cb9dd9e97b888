package io.yinghuo.ingest.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals("doc-a.aaaaaaaaaaaa-甲.txt", a);
        assertArrayEquals(first, Files.readAllBytes(store.resolve(a)));
        store.remove(b);
        assertFalse(Files.exists(store.resolve(b)));
        store.sync(List.of(a, b)); // b is gone: nothing to make durable, and no error
        store.sync(List.of());
        assertArrayEquals(first, Files.readAllBytes(store.resolve(a)));
        try (var files = Files.list(store.root())) {
            assertEquals(List.of(store.resolve(a)), files.toList(),
                    "one file per document, no folder and no temporary file beside it");
        }
    }

    @Test
    void originalsOfTheFolderPerDocumentLayoutAreStillSyncedKeptAndRemoved() throws IOException {
        Path root = Files.createDirectories(dir.resolve("originals"));
        Path oldFolder = Files.createDirectories(root.resolve("doc-old"));
        Files.write(oldFolder.resolve("cccccccccccc-旧.txt"), "旧".getBytes(StandardCharsets.UTF_8));
        Files.write(oldFolder.resolve("dddddddddddd-残留.txt"), "残".getBytes(StandardCharsets.UTF_8));
        Path stray = Files.createDirectories(root.resolve("doc-stray"));
        Files.write(stray.resolve("eeeeeeeeeeee-孤儿.txt"), "孤".getBytes(StandardCharsets.UTF_8));
        OriginalStore store = new OriginalStore(root);
        String old = "doc-old/cccccccccccc-旧.txt";
        String fresh = store.save("doc-new", "新.txt", "ffffffffffff" + "0".repeat(52), new byte[] {1});
        Files.write(root.resolve(".tmp-unfinished"), new byte[] {2});
        store.retainOnly(Set.of(old, fresh));
        store.sync(List.of(old, fresh));
        assertTrue(Files.exists(store.resolve(old)));
        assertTrue(Files.exists(store.resolve(fresh)));
        assertFalse(Files.exists(oldFolder.resolve("dddddddddddd-残留.txt")), "unreferenced file of a kept folder");
        assertFalse(Files.exists(stray), "folder with nothing referenced");
        assertFalse(Files.exists(root.resolve(".tmp-unfinished")));
        store.remove(old);
        assertFalse(Files.exists(oldFolder), "the document folder goes with its last original");
        store.remove(old); // already gone: no error
    }

    /**
     * An original is stored under the uploaded name made safe for every common file system: no leading dots (a hidden
     * file), no separators or reserved characters, and short enough for Linux's 255 bytes per name with a short
     * extension kept. Before, a name was cut at 120 characters, and 120 Chinese characters are 360 bytes: saving a
     * document with such a name failed with "File name too long".
     */
    @Test
    void originalsAreStoredUnderASafeFormOfTheUploadedName() throws IOException {
        OriginalStore store = new OriginalStore(dir.resolve("originals"));
        String sha = "cccccccccccc" + "0".repeat(52);
        byte[] bytes = "内容".getBytes(StandardCharsets.UTF_8);
        String prefix = "doc-c.cccccccccccc-";
        assertEquals(prefix + "hidden.txt", store.save("doc-c", "..hidden.txt", sha, bytes));
        assertEquals(prefix + "我的_报告_2024.docx", store.save("doc-c", "C:\\共享\\我的 报告:2024.docx", sha, bytes));
        assertEquals(prefix + "file", store.save("doc-c", "...", sha, bytes));
        // 177 bytes are left for the name after the longest id: 57 characters of 3 bytes and ".pdf"
        String longName = "长".repeat(200) + ".pdf";
        assertEquals(prefix + "长".repeat(57) + ".pdf", store.save("doc-c", longName, sha, bytes));
        String longExtension = "年".repeat(130) + ".a-very-long-suffix";
        assertEquals(prefix + "年".repeat(59), store.save("doc-c", longExtension, sha, bytes));
        String latin = "report-".repeat(40) + "final.docx";
        assertEquals(prefix + latin.substring(0, 172) + ".docx", store.save("doc-c", latin, sha, bytes));
        // a character outside the BMP (𠀀, CJK Extension B: 4 bytes, two Java chars) is kept whole or not at all
        String rare = "a" + "𠀀".repeat(60) + ".txt";
        assertEquals(prefix + "a" + "𠀀".repeat(43) + ".txt", store.save("doc-c", rare, sha, bytes));
        String longestId = "d".repeat(64);
        String stored = store.save(longestId, longName, sha, bytes);
        assertTrue(stored.getBytes(StandardCharsets.UTF_8).length <= 255, stored);
        assertArrayEquals(bytes, Files.readAllBytes(store.resolve(stored)));
    }

    @Test
    void pathsOutsideTheFolderAreRefused() throws IOException {
        OriginalStore store = new OriginalStore(dir.resolve("originals"));
        assertThrows(IllegalArgumentException.class, () -> store.sync(List.of("../outside.txt")));
    }
}
