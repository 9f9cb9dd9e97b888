package io.yinghuo.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output as UTF-8, whatever the platform default: Chinese file names and snippets must not turn into "?"
 * under a POSIX locale. Wraps the current {@code System.out}, so tests that redirect it still capture the output.
 */
final class Utf8Output {

    private Utf8Output() {
    }

    static PrintStream stdout() {
        return new PrintStream(System.out, true, StandardCharsets.UTF_8);
    }

    static PrintStream stderr() {
        return new PrintStream(System.err, true, StandardCharsets.UTF_8);
    }
}
