package io.yinghuo.retrieval.index;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The cause a caller turns into "try again later" (HTTP 503) rather than an internal error.
 */
class IndexUnavailableExceptionTest {

    @Test
    void anUnreachableIndexIsFoundAnywhereInTheCauses() {
        IndexUnavailableException down = new IndexUnavailableException("solr node 2 unreachable", null);
        assertSame(down, IndexUnavailableException.in(down));
        assertSame(down, IndexUnavailableException.in(new UncheckedIOException(new IOException("commit", down))));
        assertNull(IndexUnavailableException.in(new IOException("disk full")));
        assertNull(IndexUnavailableException.in(null));
    }
}
