package io.yinghuo.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary folders of one command run (benchmark data folders, synthesized checkpoints), all removed when the run
 * ends.
 *
 * <p>Why at the end and not after each pass: on ext4 without a journal (this project's development VMs), creating a
 * file or folder skips every inode freed in the last minute or more, looking each one up in the buffer cache; a pass
 * that follows the deletion of the previous pass's few thousand files spent a quarter of its CPU in that scan
 * (perf: {@code recently_deleted} under {@code mkdir} and {@code openat}). A user's ingest does not follow such a
 * deletion, so a benchmark pass must not either.
 */
final class ScratchFolders implements AutoCloseable {

    private final List<Path> folders = new ArrayList<>();

    /** A new empty folder under the system's temporary folder, removed by {@link #close}. */
    Path create(String prefix) throws IOException {
        Path folder = Files.createTempDirectory(prefix);
        folders.add(folder);
        return folder;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Path folder : folders) {
            try {
                deleteTree(folder);
            } catch (IOException | UncheckedIOException e) {
                IOException failure = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            }
        }
        folders.clear();
        if (first != null) {
            throw first;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
