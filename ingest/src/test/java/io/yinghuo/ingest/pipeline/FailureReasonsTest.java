package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.parse.DocumentParseException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
