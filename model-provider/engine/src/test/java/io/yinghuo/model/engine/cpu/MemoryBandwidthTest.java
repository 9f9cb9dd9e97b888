package io.yinghuo.model.engine.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bandwidth ceiling the CPU bench compares decode with: every pass reads the whole buffer (the measurement checks
 * its own sums, so a slice skipped or read twice fails it), the figure is in bytes per second, and the buffer is
 * sized from the free heap with a clear refusal when it cannot be.
 */
class MemoryBandwidthTest {

    private static final long MIB = 1L << 20;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void everyThreadCountReadsTheWholeBufferAndGivesBytesPerSecond(int threads) {
        // 1 MiB is 131,072 longs: three threads get unequal slices, the last one shorter.
        double bandwidth = MemoryBandwidth.measure(threads, MIB);
        // Bytes per second, not bits, nanoseconds or a fraction: a 1 MiB read takes between 0.1 µs and 10 s.
        assertTrue(bandwidth > 1e5 && bandwidth < 1e13, bandwidth + " B/s");
    }

    @Test
    void oneThreadAndOneMebibyteAreTheSmallestMeasurements() {
        assertThrows(IllegalArgumentException.class, () -> MemoryBandwidth.measure(0, MIB));
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> MemoryBandwidth.measure(1, MIB - 1));
        assertEquals("need >= 1 thread and >= 1 MiB, got 1, 1048575", small.getMessage());
    }

    @Test
    void theBufferIsWhatWasAskedUpToHalfTheFreeHeap() {
        assertEquals(1024 * MIB, MemoryBandwidth.bufferBytes(1024 * MIB, 4096 * MIB));
        assertEquals(1024 * MIB, MemoryBandwidth.bufferBytes(1024 * MIB, 2048 * MIB));
        assertEquals(512 * MIB, MemoryBandwidth.bufferBytes(1024 * MIB, 1024 * MIB));
        assertEquals(100 * MIB, MemoryBandwidth.bufferBytes(100 * MIB, 200 * MIB));
        assertEquals(MIB, MemoryBandwidth.bufferBytes(MIB + 7, 4096 * MIB), "whole longs");
        assertEquals((Integer.MAX_VALUE - 16) * 8L, MemoryBandwidth.bufferBytes(64L << 30, 256L << 30),
                "one Java array at most");
    }

    @Test
    void lessThan256MibOrLessThanAskedIsRefusedWithTheHeapItNeeds() {
        assertEquals(256 * MIB, MemoryBandwidth.bufferBytes(1024 * MIB, 512 * MIB), "256 MiB is still enough");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MemoryBandwidth.bufferBytes(1024 * MIB, 512 * MIB - 2));
        assertEquals("measuring memory bandwidth needs a buffer of 1073741824 bytes; about 536870910 bytes of heap"
                + " are free (raise -Xmx)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> MemoryBandwidth.bufferBytes(100 * MIB, 200 * MIB - 2),
                "a buffer under 256 MiB must be had whole");
    }
}
