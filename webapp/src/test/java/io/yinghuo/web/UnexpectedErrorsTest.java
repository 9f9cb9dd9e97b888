package io.yinghuo.web;

import io.yinghuo.retrieval.index.IndexUnavailableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Only an unreachable remote index is "503, try again"; any other I/O failure (a full disk, a broken file) is an
 * internal error and must not tell the user that retrying will help.
 */
class UnexpectedErrorsTest {

    @Test
    void anUnreachableIndexAnywhereInTheCausesIsRetryable() {
        IndexUnavailableException down = new IndexUnavailableException("search on collection docs failed:"
                + " connection refused", new IOException("Connection refused"));
        ApiException error = ErrorResponses.fromUnexpected(new IllegalStateException("wrapped",
                new UncheckedIOException(down.getMessage(), down)));
        assertEquals(503, error.status());
        assertEquals("index_unavailable", error.code());
        assertTrue(error.message(Messages.Lang.EN).contains("connection refused"), error.message(Messages.Lang.EN));
        assertTrue(error.message(Messages.Lang.ZH).contains("稍后重试"), error.message(Messages.Lang.ZH));
    }

    @Test
    void otherIoFailuresAreInternalErrorsWithoutTheirDetails() {
        ApiException error = ErrorResponses.fromUnexpected(new UncheckedIOException(
                new IOException("/data/index/write.lock: No space left on device")));
        assertEquals(500, error.status());
        assertEquals("internal_error", error.code());
        assertFalse(error.message(Messages.Lang.EN).contains("No space left"), error.message(Messages.Lang.EN));
    }
}
