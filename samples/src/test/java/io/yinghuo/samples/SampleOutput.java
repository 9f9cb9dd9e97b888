package io.yinghuo.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a sample's {@code main} as a user would and returns what it printed. */
final class SampleOutput {

    /** A sample's entry point. */
    @FunctionalInterface
    interface Main {
        void main(String[] args) throws Exception;
    }

    private SampleOutput() {
    }

    static String of(Main main, String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            main.main(args);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
