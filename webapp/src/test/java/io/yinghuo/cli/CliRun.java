package io.yinghuo.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Runs the command line in-process through {@link Main#run} with stdin, stdout and stderr redirected. */
final class CliRun {

    record Result(int code, String out, String err) {
    }

    private CliRun() {
    }

    static Result run(String... args) {
        return run(new byte[0], args);
    }

    static Result run(byte[] stdin, String... args) {
        return run(stdin, errSoFar -> { }, args);
    }

    /**
     * Runs with {@code stderrWatcher} shown the whole of stderr so far after each write, on the command's own thread:
     * a test reacts to a progress line (opens a gate it holds) without waiting on a clock.
     */
    static Result run(Consumer<String> stderrWatcher, String... args) {
        return run(new byte[0], stderrWatcher, args);
    }

    private static synchronized Result run(byte[] stdin, Consumer<String> stderrWatcher, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                stderrWatcher.accept(toString(StandardCharsets.UTF_8));
            }
        };
        try {
            System.setIn(new ByteArrayInputStream(stdin));
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
    }
}
