package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.parse.DocumentParseException;

import java.io.UncheckedIOException;

/**
 * Turns whatever made a file fail into one line a user can act on. It exists because a failed file's message is
 * shown as is in the command line's progress lines and the web app's upload list, next to the file name: a stack
 * trace class name or a message that repeats the file name would only get in the way there.
 */
final class FailureReasons {

    private FailureReasons() {
    }

    static String describe(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory while processing the file (give Java more memory with -Xmx)";
        }
        String message = e.getMessage();
        if (e instanceof DocumentParseException parse) {
            return parse.detail(); // its message repeats the file name, which the progress line already shows
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return message == null ? e.getClass().getSimpleName() : message;
        }
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return describe(e.getCause());
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }

    /** The machine-readable code of {@link #describe}'s text (see {@link IngestJob#finish}). */
    static String code(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out_of_memory";
        }
        if (e instanceof DocumentParseException parse) {
            return "parse_" + parse.reason().name().toLowerCase(java.util.Locale.ROOT);
        }
        if (e instanceof InterruptedException) {
            return "interrupted";
        }
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return code(e.getCause());
        }
        if (e instanceof java.io.IOException) {
            return "io_error";
        }
        return "failed";
    }

    /**
     * Whether ingesting the same file again may succeed: a read, write or interruption may be passing; a file that
     * cannot be parsed, or runs out of memory, or breaks a rule, fails again the same way.
     */
    static boolean retryable(Throwable e) {
        return switch (code(e)) {
            case "io_error", "interrupted", "parse_unreadable" -> true;
            default -> false;
        };
    }
}
