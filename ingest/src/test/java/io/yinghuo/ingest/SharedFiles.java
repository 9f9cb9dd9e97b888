package io.yinghuo.ingest;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the team's shared folder (../shared beside the repository) by walking up from user.dir. */
public final class SharedFiles {

    private static final String MARKER = "shared/models/chinese-llama-2-tokenizer/tokenizer.model";

    private SharedFiles() {
    }

    /** The shared folder, or a skipped test when it is absent. */
    public static Path sharedOrSkip() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MARKER))) {
                return dir.resolve("shared");
            }
        }
        Assumptions.abort("shared folder with " + MARKER + " not found above " + System.getProperty("user.dir"));
        return null;
    }

    public static Path tokenizerOrSkip() {
        return sharedOrSkip().resolve("models/chinese-llama-2-tokenizer/tokenizer.model");
    }

    public static Path dataFileOrSkip(String name) {
        Path file = sharedOrSkip().resolve("data/cmrc2018-dev").resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(file), "shared data file absent: " + file);
        return file;
    }
}
