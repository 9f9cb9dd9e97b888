package io.yinghuo.retrieval.index;

import java.io.IOException;

/**
 * A remote index (a {@link ChunkStore} on other machines) could not be reached or refused a request. What was being
 * written was not committed and nothing was reported done, so the same request can be sent again when the index is
 * back; callers tell users exactly that (HTTP 503), where any other I/O failure is an internal error. The message
 * names what failed, never credentials.
 */
public class IndexUnavailableException extends IOException {

    public IndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first IndexUnavailableException in {@code e}'s chain of causes, or null (a failure of another kind). */
    public static IndexUnavailableException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IndexUnavailableException unavailable) {
                return unavailable;
            }
        }
        return null;
    }
}
