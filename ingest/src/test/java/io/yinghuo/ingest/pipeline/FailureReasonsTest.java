package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.parse.DocumentParseException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureReasonsTest {

    @Test
    void parseFailuresLeaveOutTheFileNameTheProgressLineAlreadyShows() {
        assertEquals("the PDF is encrypted (password protected)", FailureReasons.describe(
                new DocumentParseException("报告.pdf", DocumentParseException.Reason.ENCRYPTED,
                        "the PDF is encrypted (password protected)")));
    }

    @Test
    void ourOwnRefusalsAreShownAsTheyAre() {
        assertEquals("no text found", FailureReasons.describe(new IllegalArgumentException("no text found")));
        assertEquals("IllegalStateException", FailureReasons.describe(new IllegalStateException()));
    }

    @Test
    void otherFailuresNameTheirKindAndIoFailuresAreUnwrapped() {
        assertEquals("IOException: No space left on device", FailureReasons.describe(
                new UncheckedIOException(new IOException("No space left on device"))));
        assertEquals("NullPointerException", FailureReasons.describe(new NullPointerException()));
        assertEquals("ArithmeticException", FailureReasons.describe(new ArithmeticException(" ")));
        assertTrue(FailureReasons.describe(new OutOfMemoryError("Java heap space")).contains("-Xmx"));
    }

    @Test
    void parseErrorsAreNotRetryableButInputOutputIs() {
        DocumentParseException empty = new DocumentParseException("a.txt", DocumentParseException.Reason.EMPTY,
                "the file is empty");
        assertEquals("parse_empty", FailureReasons.code(empty));
        assertFalse(FailureReasons.retryable(empty));
        assertFalse(FailureReasons.retryable(new DocumentParseException("a.pdf",
                DocumentParseException.Reason.ENCRYPTED, "the PDF is encrypted")));
        assertTrue(FailureReasons.retryable(new DocumentParseException("a.txt",
                DocumentParseException.Reason.UNREADABLE, "could not read")));

        IOException disk = new IOException("No space left on device");
        assertEquals("io_error", FailureReasons.code(disk));
        assertTrue(FailureReasons.retryable(disk));
        assertTrue(FailureReasons.retryable(new UncheckedIOException(disk)));
        assertTrue(FailureReasons.retryable(new InterruptedException()));

        assertEquals("out_of_memory", FailureReasons.code(new OutOfMemoryError()));
        assertFalse(FailureReasons.retryable(new OutOfMemoryError()));
        assertEquals("failed", FailureReasons.code(new IllegalStateException("odd")));
        assertFalse(FailureReasons.retryable(new IllegalStateException("odd")));
    }
}
