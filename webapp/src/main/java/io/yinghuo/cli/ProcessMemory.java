package io.yinghuo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of this process, from Linux's /proc (0 where that is not available). */
final class ProcessMemory {
    private ProcessMemory() {
    }

    static long peakResidentBytes() {
        return statusField("VmHWM:");
    }

    /** Resident anonymous memory: the heap with the packed weights and the KV cache. */
    static long residentAnonymousBytes() {
        return statusField("RssAnon:");
    }

    /** Resident pages of mapped files: checkpoint pages, reclaimable page cache shared with the file system. */
    static long residentFileBytes() {
        return statusField("RssFile:");
    }

    private static long statusField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    String kb = line.substring(name.length()).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
