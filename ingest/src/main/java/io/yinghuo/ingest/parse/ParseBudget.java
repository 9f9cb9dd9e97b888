package io.yinghuo.ingest.parse;

import java.lang.management.ManagementFactory;

/**
 * How much time and memory one document may take to parse, in proportion to its size: per started megabyte
 * {@link ParseLimits#budgetMillisPerMegabyte()} of wall-clock time and {@link ParseLimits#budgetBytesPerMegabyte()}
 * of allocation (by default 5 s and 2 GB: a file under 1 MB gets at most 5 s). A hostile file whose
 * small size hides a huge amount of work (a PDF that lies about its pages, a deeply compressed content stream) is
 * refused with {@link DocumentParseException.Reason#OVER_BUDGET} instead of holding a worker and the heap.
 *
 * <p>It exists because a parsing thread cannot be stopped safely from outside (Thread.stop is gone, and an
 * interrupt is ignored by PDFBox and POI): the parsers' own loops call {@link #checkCurrent()} instead, which
 * throws once the budget is spent. The budget is bound to the parsing thread while {@link DocumentParsers} parses
 * (a thread-local, since the checks sit deep inside library callbacks); outside such a scope a check does nothing.
 *
 * <p>Memory is measured as bytes allocated by the parsing thread (HotSpot's per-thread allocation counter,
 * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}): the JVM cannot say what one thread
 * retains, but what it allocates bounds that, and is what makes a parse fill the heap and the collector run.
 * Text recognition (OCR) runs outside the budget ({@link #pause()}): it has its own page cap and per-page
 * timeout, and a slow recogniser must not get a long scan refused. Drawing a scanned PDF page for recognition is
 * outside the file's budget too (a scan of small fax-compressed pages costs far more to draw than its size
 * suggests) but under a budget of its own per page ({@link #forDrawnPage}), so that a page built to draw forever
 * is still cut off.
 */
public final class ParseBudget {

    private static final ThreadLocal<ParseBudget> CURRENT = new ThreadLocal<>();
    private static final long MEGABYTE = 1L << 20;
    private static final com.sun.management.ThreadMXBean THREADS = allocationCounter();

    private final long maxNanos;
    private final long maxAllocatedBytes;
    private long startNanos;
    private long startAllocated;

    private ParseBudget(long maxNanos, long maxAllocatedBytes) {
        this.maxNanos = maxNanos;
        this.maxAllocatedBytes = maxAllocatedBytes;
        this.startNanos = System.nanoTime();
        this.startAllocated = allocated();
    }

    /** The budget of a file of {@code bytes} bytes under {@code limits}, starting now. */
    public static ParseBudget forFile(long bytes, ParseLimits limits) {
        long megabytes = Math.max(1, (bytes + MEGABYTE - 1) / MEGABYTE);
        return new ParseBudget(saturatedMultiply(megabytes, limits.budgetMillisPerMegabyte() * 1_000_000L),
                saturatedMultiply(megabytes, limits.budgetBytesPerMegabyte()));
    }

    /**
     * The budget of drawing one page for OCR: {@link ParseLimits#ocrDrawMillis()} (60 s by default) and the
     * allocation of a one-megabyte file (2 GB).
     */
    static ParseBudget forDrawnPage(ParseLimits limits) {
        return new ParseBudget(saturatedMultiply(limits.ocrDrawMillis(), 1_000_000L), limits.budgetBytesPerMegabyte());
    }

    /** Binds this budget to the current thread until the returned scope is closed. */
    Scope bind() {
        ParseBudget outer = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        };
    }

    /** Checks the budget bound to this thread, if any. */
    static void checkCurrent() {
        ParseBudget budget = CURRENT.get();
        if (budget != null) {
            budget.check();
        }
    }

    /**
     * Stops the clock and the allocation count of the budget bound to this thread until the returned scope is
     * closed (for OCR, bounded by its own limits); does nothing when none is bound. The paused time is given back
     * when the scope closes, so nothing inside the scope may check this budget: keep the scope to the recognition
     * call alone (writing the recognised text checks the budget, and would count the pause).
     */
    static Scope pause() {
        ParseBudget budget = CURRENT.get();
        if (budget == null) {
            return () -> { };
        }
        long pausedNanos = System.nanoTime();
        long pausedAllocated = allocated();
        return () -> {
            budget.startNanos += System.nanoTime() - pausedNanos;
            budget.startAllocated += allocated() - pausedAllocated;
        };
    }

    /** @throws ParseBudgetExceededException when the time or the memory is spent */
    void check() {
        long elapsed = System.nanoTime() - startNanos;
        if (elapsed > maxNanos) {
            throw new ParseBudgetExceededException("took longer than " + seconds(maxNanos)
                    + " s to read, the limit for a file of this size; refusing");
        }
        if (THREADS != null && allocated() - startAllocated > maxAllocatedBytes) {
            throw new ParseBudgetExceededException("needed more than " + ParseLimits.describeBytes(maxAllocatedBytes)
                    + " of memory to read, the limit for a file of this size; refusing");
        }
    }

    long maxNanos() {
        return maxNanos;
    }

    long maxAllocatedBytes() {
        return maxAllocatedBytes;
    }

    private static String seconds(long nanos) {
        return java.math.BigDecimal.valueOf(nanos / 1_000_000, 3).stripTrailingZeros().toPlainString();
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    private static long allocated() {
        return THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
    }

    /** HotSpot's counter, or null where the JVM does not offer one (then only time is budgeted). */
    private static com.sun.management.ThreadMXBean allocationCounter() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                    && threads.isThreadAllocatedMemorySupported()) {
                if (!threads.isThreadAllocatedMemoryEnabled()) {
                    threads.setThreadAllocatedMemoryEnabled(true);
                }
                return threads;
            }
        } catch (UnsupportedOperationException | SecurityException e) {
            // fall through: time is still budgeted
        }
        return null;
    }

    /** A binding or pause that ends when closed. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
