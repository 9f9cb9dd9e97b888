package io.yinghuo.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps libraries' start-up chatter off the terminal, so that a command prints its own one-line summary only.
 *
 * <p>Lucene's {@code VectorizationProvider} logs through java.util.logging: on Java 17 a WARNING that the Vector API
 * module (which the relaunch adds for our own kernels) is "too old" for Lucene, on newer Javas an INFO line or a
 * WARNING about the module. Neither changes what the user can do, so that logger is raised to SEVERE; so is
 * Lucene's INFO line about MemorySegment-based mmap on Java 21+.
 *
 * <p>{@link #logLine} shortens the engine's "no usable GPU" line when the reason is simply that no NVIDIA driver is
 * installed (the usual machine without a GPU): the JCuda and libcuda details are then of no use to the user.
 */
final class StartupNoise {

    /** Held strongly: java.util.logging forgets the level of a logger that was garbage-collected. */
    private static final Logger LUCENE_VECTORIZATION =
            Logger.getLogger("org.apache.lucene.internal.vectorization.VectorizationProvider");
    private static final Logger LUCENE_MMAP = Logger.getLogger("org.apache.lucene.store.MemorySegmentIndexInputProvider");

    private StartupNoise() {
    }

    static void quiet() {
        LUCENE_VECTORIZATION.setLevel(Level.SEVERE);
        LUCENE_MMAP.setLevel(Level.SEVERE);
    }

    /** A model-loading log line as the command prints it after {@code "<command>: "}. */
    static String logLine(String line) {
        String l = line.replaceFirst("^yinghuo: ", "");
        if (l.startsWith("device auto: no usable GPU (")
                && l.matches("(?s).*\\(lib(nv)?cuda\\.so[^()]*cannot open shared object file[^()]*\\).*")) {
            return "device auto: no NVIDIA driver, running on the CPU";
        }
        return l;
    }
}
