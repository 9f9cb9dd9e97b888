package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits an operator configures, the sizes quoted in refusals, and the time and memory a file of a given size
 * may take (the hostile files that run into them are in {@code HostileUploadsTest}).
 */
class ParseLimitsAndBudgetTest {

    private static final long MB = 1L << 20;

    @Test
    void sizesInRefusalsAreWholeUnitsOrOneDecimalOfAMegabyte() {
        assertEquals("17 bytes", ParseLimits.describeBytes(17));
        assertEquals("1023 bytes", ParseLimits.describeBytes(1023));
        assertEquals("1 KB", ParseLimits.describeBytes(1024));
        assertEquals("1023 KB", ParseLimits.describeBytes(MB - 1));
        assertEquals("1 MB", ParseLimits.describeBytes(MB));
        assertEquals("12.5 MB", ParseLimits.describeBytes(12 * MB + MB / 2));
        assertEquals("100 MB", ParseLimits.describeBytes(ParseLimits.DEFAULT_MAX_BYTES));
    }

    @Test
    void aLimitOfZeroIsRefusedNamingEveryValueExceptNoOcrPagesWhichTurnsOcrOff() {
        ParseLimits d = ParseLimits.defaults();
        assertEquals(0, d.withOcrMaxPages(0).ocrMaxPages());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withMaxBytes(0));
        assertEquals("parse limits must be positive, got maxBytes=0, maxExpandedBytes=536870912, "
                + "maxCharacters=50000000, ocrMaxPages=300, ocrMaxPixels=24000000, budgetMillisPerMegabyte=5000, "
                + "budgetBytesPerMegabyte=2147483648, ocrDrawMillis=60000", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withMaxExpandedBytes(0));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxCharacters(0));
        assertThrows(IllegalArgumentException.class, () -> d.withOcrMaxPages(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withOcrMaxPixels(0));
        assertThrows(IllegalArgumentException.class, () -> d.withBudgetPerMegabyte(0, 1));
        assertThrows(IllegalArgumentException.class, () -> d.withBudgetPerMegabyte(1, 0));
        assertThrows(IllegalArgumentException.class, () -> d.withOcrDrawMillis(0));
    }

    @Test
    void eachSettingChangesOnlyItself() {
        ParseLimits d = ParseLimits.defaults();
        assertEquals(new ParseLimits(7, d.maxExpandedBytes(), d.maxCharacters(), d.ocrMaxPages(), d.ocrMaxPixels(),
                d.budgetMillisPerMegabyte(), d.budgetBytesPerMegabyte(), d.ocrDrawMillis()), d.withMaxBytes(7));
        assertEquals(new ParseLimits(d.maxBytes(), 7, d.maxCharacters(), d.ocrMaxPages(), d.ocrMaxPixels(),
                d.budgetMillisPerMegabyte(), d.budgetBytesPerMegabyte(), d.ocrDrawMillis()), d.withMaxExpandedBytes(7));
        assertEquals(new ParseLimits(d.maxBytes(), d.maxExpandedBytes(), 7, d.ocrMaxPages(), d.ocrMaxPixels(),
                d.budgetMillisPerMegabyte(), d.budgetBytesPerMegabyte(), d.ocrDrawMillis()), d.withMaxCharacters(7));
        assertEquals(new ParseLimits(d.maxBytes(), d.maxExpandedBytes(), d.maxCharacters(), 7, d.ocrMaxPixels(),
                d.budgetMillisPerMegabyte(), d.budgetBytesPerMegabyte(), d.ocrDrawMillis()), d.withOcrMaxPages(7));
        assertEquals(new ParseLimits(d.maxBytes(), d.maxExpandedBytes(), d.maxCharacters(), d.ocrMaxPages(), 7,
                d.budgetMillisPerMegabyte(), d.budgetBytesPerMegabyte(), d.ocrDrawMillis()), d.withOcrMaxPixels(7));
        assertEquals(new ParseLimits(d.maxBytes(), d.maxExpandedBytes(), d.maxCharacters(), d.ocrMaxPages(),
                d.ocrMaxPixels(), 7, 8, d.ocrDrawMillis()), d.withBudgetPerMegabyte(7, 8));
        assertEquals(new ParseLimits(d.maxBytes(), d.maxExpandedBytes(), d.maxCharacters(), d.ocrMaxPages(),
                d.ocrMaxPixels(), d.budgetMillisPerMegabyte(), d.budgetBytesPerMegabyte(), 7), d.withOcrDrawMillis(7));
        // The shorter constructors fill in the documented defaults.
        assertEquals(d, new ParseLimits(ParseLimits.DEFAULT_MAX_BYTES, ParseLimits.DEFAULT_MAX_EXPANDED_BYTES,
                ParseLimits.DEFAULT_MAX_CHARACTERS));
    }

    @Test
    void theBudgetCountsStartedMegabytesAndAnEmptyFileGetsOne() {
        ParseLimits limits = ParseLimits.defaults().withBudgetPerMegabyte(1_000, 100);
        assertEquals(1_000_000_000L, ParseBudget.forFile(0, limits).maxNanos());
        assertEquals(1_000_000_000L, ParseBudget.forFile(MB, limits).maxNanos());
        assertEquals(2_000_000_000L, ParseBudget.forFile(MB + 1, limits).maxNanos());
        assertEquals(300, ParseBudget.forFile(3 * MB, limits).maxAllocatedBytes());
        // Drawing one scanned page: its own time, and the memory of a one-megabyte file.
        ParseBudget page = ParseBudget.forDrawnPage(limits.withOcrDrawMillis(2_500));
        assertEquals(2_500_000_000L, page.maxNanos());
        assertEquals(100, page.maxAllocatedBytes());
    }

    @Test
    void aBudgetTooLargeToCountIsUnlimitedNotNegative() {
        ParseLimits huge = ParseLimits.defaults().withBudgetPerMegabyte(Long.MAX_VALUE / 1_000_000, Long.MAX_VALUE / 4);
        ParseBudget budget = ParseBudget.forFile(100 * MB, huge);
        assertEquals(Long.MAX_VALUE, budget.maxNanos());
        assertEquals(Long.MAX_VALUE, budget.maxAllocatedBytes());
        budget.check(); // a wrapped, negative bound would refuse at once
        assertEquals(Long.MAX_VALUE, ParseBudget.forDrawnPage(ParseLimits.defaults()
                .withOcrDrawMillis(Long.MAX_VALUE / 10)).maxNanos());
    }

    @Test
    void theRefusalsSayWhichBoundWasPassed() {
        ParseBudget slow = ParseBudget.forFile(1, ParseLimits.defaults().withBudgetPerMegabyte(1, 1L << 40));
        spinPast(2_000_000);
        ParseBudgetExceededException time = assertThrows(ParseBudgetExceededException.class, slow::check);
        assertEquals("took longer than 0.001 s to read, the limit for a file of this size; refusing",
                time.getMessage());

        ParseBudget greedy = ParseBudget.forFile(1, ParseLimits.defaults().withBudgetPerMegabyte(60_000, 2 * MB));
        byte[][] garbage = new byte[4][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[(int) MB];
        }
        ParseBudgetExceededException memory = assertThrows(ParseBudgetExceededException.class, greedy::check);
        assertEquals("needed more than 2 MB of memory to read, the limit for a file of this size; refusing",
                memory.getMessage());
        assertEquals(4, garbage.length);
    }

    @Test
    void anInnerBudgetGivesWayToTheOuterOneWhenItsScopeCloses() {
        ParseBudget spent = ParseBudget.forFile(1, ParseLimits.defaults().withBudgetPerMegabyte(1, 1L << 40));
        ParseBudget generous = ParseBudget.forFile(1, ParseLimits.defaults());
        spinPast(2_000_000);
        try (ParseBudget.Scope outer = spent.bind()) {
            try (ParseBudget.Scope inner = generous.bind()) {
                ParseBudget.checkCurrent();
            }
            assertThrows(ParseBudgetExceededException.class, ParseBudget::checkCurrent);
        }
        ParseBudget.checkCurrent();
        // A pause outside any budget is harmless.
        try (ParseBudget.Scope pause = ParseBudget.pause()) {
            ParseBudget.checkCurrent();
        }
    }

    @Test
    void aPauseGivesBackTheMemoryAllocatedDuringIt() {
        ParseBudget budget = ParseBudget.forFile(1, ParseLimits.defaults().withBudgetPerMegabyte(60_000, 2 * MB));
        byte[][] held = new byte[4][];
        try (ParseBudget.Scope bound = budget.bind()) {
            try (ParseBudget.Scope ocr = ParseBudget.pause()) {
                for (int i = 0; i < held.length; i++) {
                    held[i] = new byte[(int) MB];
                }
            }
            ParseBudget.checkCurrent();
        }
        assertTrue(held[3].length > 0);
    }

    /** Busy-waits until {@code nanos} have passed, so that a budget of a millisecond is surely spent. */
    private static void spinPast(long nanos) {
        long start = System.nanoTime();
        while (System.nanoTime() - start <= nanos) {
            Thread.onSpinWait();
        }
    }
}
