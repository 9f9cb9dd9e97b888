package io.yinghuo.model.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What Linux says about this process's mappings of one file ({@code /proc/self/smaps}): how many mappings there are
 * and how many of their bytes are resident. Tests call {@link #available()} first and skip elsewhere.
 */
public final class ProcMappings {
    private static final Path SMAPS = Path.of("/proc/self/smaps");
    private static final Pattern HEADER = Pattern.compile("^[0-9a-f]+-[0-9a-f]+ .*");

    private final int count;
    private final long residentBytes;

    private ProcMappings(int count, long residentBytes) {
        this.count = count;
        this.residentBytes = residentBytes;
    }

    public static boolean available() {
        return Files.isReadable(SMAPS);
    }

    /** The mappings of {@code file} right now. */
    public static ProcMappings of(Path file) throws IOException {
        String suffix = " " + file.toRealPath();
        List<String> lines = Files.readAllLines(SMAPS);
        int count = 0;
        long resident = 0;
        boolean inFile = false;
        for (String line : lines) {
            if (HEADER.matcher(line).matches()) {
                inFile = line.endsWith(suffix);
                if (inFile) {
                    count++;
                }
            } else if (inFile && line.startsWith("Rss:")) {
                String kb = line.substring(4).trim().split("\\s+")[0];
                resident += Long.parseLong(kb) * 1024;
            }
        }
        return new ProcMappings(count, resident);
    }

    public int count() {
        return count;
    }

    public long residentBytes() {
        return residentBytes;
    }
}
