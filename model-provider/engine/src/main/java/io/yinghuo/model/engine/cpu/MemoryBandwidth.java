package io.yinghuo.model.engine.cpu;

/**
 * A STREAM-like ceiling for the CPU: {@code threads} threads each read their own contiguous slice of a buffer far
 * larger than the caches, several times; the best pass gives the read bandwidth in bytes per second. Decode is a
 * read-only stream of the weights, so this (not the vendor's peak) is the ceiling decode speed is compared with.
 */
public final class MemoryBandwidth {
    /** Default buffer: 1 GiB, well beyond the last-level cache of any current CPU. */
    public static final long DEFAULT_BYTES = 1L << 30;
    private static final int PASSES = 5;
    private static final long MIN_BYTES = 256L << 20;
    /** The buffer holds i * STEP at index i: 2^64 divided by the golden ratio, neighbours differ in most bits. */
    private static final long STEP = 0x9E3779B97F4A7C15L;

    private MemoryBandwidth() {
    }

    /** Measured read bandwidth in bytes per second. */
    public static double measure(int threads, long bytes) {
        if (threads < 1 || bytes < (1 << 20)) {
            throw new IllegalArgumentException("need >= 1 thread and >= 1 MiB, got " + threads + ", " + bytes);
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        int n = (int) (bufferBytes(bytes, free) / 8);
        long[] data = new long[n];
        for (int i = 0; i < n; i++) {
            data[i] = i * STEP; // touch every page so the passes read memory, not zero pages
        }
        long[] sink = new long[threads * 16];
        double best = 0;
        try (WorkerPool pool = new WorkerPool(threads)) {
            int slice = (n + threads - 1) / threads;
            WorkerPool.RangeTask read = (worker, from, to) -> {
                for (int t = from; t < to; t++) {
                    sink[worker * 16] += sum(data, t * slice, Math.min(n, (t + 1) * slice));
                }
            };
            for (int pass = 0; pass < PASSES; pass++) {
                long t0 = System.nanoTime();
                pool.run(threads, read);
                long t1 = System.nanoTime();
                best = Math.max(best, (double) n * 8 / ((t1 - t0) / 1e9));
            }
        }
        long all = 0;
        for (long s : sink) {
            all += s;
        }
        // The sums keep the reads from being optimised away, and prove that every pass read every element once:
        // sum of i * STEP over i < n is STEP * n(n-1)/2 (mod 2^64, as Java's long arithmetic wraps).
        if (all != PASSES * STEP * ((long) n * (n - 1) / 2)) {
            throw new IllegalStateException("the bandwidth passes did not read the whole buffer of " + n + " longs");
        }
        return best;
    }

    /**
     * The buffer to read: {@code requested} bytes, but at most half the free heap; 256 MiB is still far beyond the
     * last-level caches, so a smaller heap is accepted down to that (or to {@code requested}, when less), rounded
     * down to whole longs and to one Java array.
     *
     * @throws IllegalStateException naming the heap needed when even that does not fit
     */
    static long bufferBytes(long requested, long freeHeap) {
        long use = Math.min(requested, freeHeap / 2);
        if (use < Math.min(requested, MIN_BYTES)) {
            throw new IllegalStateException("measuring memory bandwidth needs a buffer of " + requested
                    + " bytes; about " + freeHeap + " bytes of heap are free (raise -Xmx)");
        }
        return Math.min(use / 8, Integer.MAX_VALUE - 16) * 8;
    }

    /** Four independent chains so the loop is bound by loads, not by the add latency. */
    private static long sum(long[] a, int from, int to) {
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i];
        }
        return s0 + s1 + s2 + s3;
    }
}
