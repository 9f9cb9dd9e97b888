package io.yinghuo.model.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the project's shared data directory ({@code ../shared} beside the repository, not part of it): walks up
 * from {@code user.dir} to the first ancestor holding {@code shared/models/chinese-llama-2-tokenizer/tokenizer.model}.
 * Tests that need it call {@link #require()} (or one of the path helpers), which skips the test with a clear message
 * when it is absent. Call them from {@code @BeforeEach} or the test itself, not only from {@code @BeforeAll}: a class
 * aborted in {@code @BeforeAll} shows up in surefire as "Tests run: 0, Skipped: 0", hiding the skip.
 */
public final class SharedData {
    private static final String MARKER = "models/chinese-llama-2-tokenizer/tokenizer.model";

    private SharedData() {
    }

    /** Whether the shared directory exists (for loading fixtures once in {@code @BeforeAll} when it does). */
    public static boolean isPresent() {
        return find().isPresent();
    }

    /** The {@code shared} directory, if there is one above the working directory. */
    public static Optional<Path> find() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null;
             dir = dir.getParent()) {
            Path shared = dir.resolve("shared");
            if (Files.isRegularFile(shared.resolve(MARKER))) {
                return Optional.of(shared);
            }
        }
        return Optional.empty();
    }

    /** The {@code shared} directory; skips the calling test when it is absent. */
    public static Path require() {
        Optional<Path> shared = find();
        Assumptions.assumeTrue(shared.isPresent(), () -> "skipped: no shared/" + MARKER + " in any ancestor of "
                + System.getProperty("user.dir") + " (the shared data directory sits beside the repository)");
        return shared.get();
    }

    /** A file or directory inside {@code shared}; skips the calling test when it is absent. */
    public static Path require(String relativePath) {
        Path path = require().resolve(relativePath);
        Assumptions.assumeTrue(Files.exists(path), () -> "skipped: " + path + " does not exist");
        return path;
    }

    /** The Chinese-LLaMA-2 {@code tokenizer.model} (55,296 pieces). */
    public static Path chineseLlama2Tokenizer() {
        return require(MARKER);
    }

    /** spm_encode reference ids for 2,300 Chinese texts (see its README). */
    public static Path tokenizerReference() {
        return require("data/tokenizer-reference/chinese-llama-2-spm-reference.jsonl");
    }
}
