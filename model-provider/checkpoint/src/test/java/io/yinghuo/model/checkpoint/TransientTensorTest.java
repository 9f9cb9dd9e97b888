package io.yinghuo.model.checkpoint;

import io.yinghuo.model.testing.ProcMappings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A tensor read for one pass: the right bytes, whether mapped or copied, and no mapping left after close. */
class TransientTensorTest {
    private static final long OFFSET = 1000; // deliberately not page-aligned
    private static final int LENGTH = 5 * 4096 + 12;

    @TempDir
    Path dir;

    private byte[] content;

    private TensorInfo tensor() throws IOException {
        content = new byte[(int) OFFSET + LENGTH + 300];
        new Random(3).nextBytes(content);
        Path file = dir.resolve("t.bin");
        Files.write(file, content);
        return new TensorInfo("layer.qweight", DType.I32, new long[] {LENGTH / 4}, file, OFFSET, LENGTH);
    }

    private void assertContent(ByteBuffer b) {
        assertEquals(LENGTH, b.remaining());
        for (int i = 0; i < LENGTH; i++) {
            assertEquals(content[(int) OFFSET + i], b.get(i), "byte " + i);
        }
        assertEquals(content[(int) OFFSET] & 0xFF | (content[(int) OFFSET + 1] & 0xFF) << 8
                | (content[(int) OFFSET + 2] & 0xFF) << 16 | content[(int) OFFSET + 3] << 24, b.getInt(0),
                "little-endian view");
    }

    @Test
    void mappedAndCopiedReadsGiveTheTensorsBytes() throws IOException {
        TensorInfo info = tensor();
        try (TransientTensor mapped = TransientTensor.open(info, true);
             TransientTensor copied = TransientTensor.open(info, false)) {
            assertTrue(mapped.isMapped());
            assertFalse(copied.isMapped());
            assertContent(mapped.buffer());
            assertContent(copied.buffer());
            assertTrue(mapped.buffer().isReadOnly());
        }
    }

    @Test
    void closeUnmapsAtOnce() throws IOException {
        assumeTrue(ProcMappings.available(), "needs Linux /proc/self/smaps");
        assumeTrue(Unmapper.available(), "needs sun.misc.Unsafe#invokeCleaner (module jdk.unsupported)");
        TensorInfo info = tensor();
        TransientTensor t = TransientTensor.open(info);
        assertTrue(t.isMapped());
        assertContent(t.buffer());
        ProcMappings open = ProcMappings.of(info.file());
        assertEquals(1, open.count());
        assertTrue(open.residentBytes() >= LENGTH, "read pages are resident: " + open.residentBytes());
        t.close();
        assertEquals(0, ProcMappings.of(info.file()).count(), "the mapping is gone without waiting for a GC");
        assertThrows(IllegalStateException.class, t::buffer);
        t.close(); // idempotent
    }

    @Test
    void aFileShorterThanTheTensorIsALoadErrorNamingIt() throws IOException {
        TensorInfo info = tensor();
        Files.write(info.file(), new byte[(int) OFFSET + 10]);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TransientTensor.open(info));
        assertTrue(e.getMessage().contains("layer.qweight") && e.getMessage().contains(info.file().toString()),
                e.getMessage());
    }
}
