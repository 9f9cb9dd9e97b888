package io.yinghuo.model.engine;

import java.lang.management.ManagementFactory;
import java.util.Random;

/**
 * Backend-neutral throughput measurement, what the CLI's {@code bench} reports: a prefill of N random prompt
 * tokens in one batched call, then M decode steps of one token each (random tokens: sampling is not part of the
 * engine). A short warm-up in a separate session lets the JIT compile the kernels first.
 */
public final class EngineBench {
    private EngineBench() {
    }

    /**
     * @throws IllegalArgumentException when the counts are not positive
     */
    public static BenchResult run(LoadedModel model, int promptTokens, int decodeTokens, long seed) {
        if (promptTokens < 1 || decodeTokens < 1) {
            throw new IllegalArgumentException("bench needs at least one prompt and one decode token, got "
                    + promptTokens + " and " + decodeTokens);
        }
        Random random = new Random(seed);
        int vocab = model.config().vocabSize();
        try (InferenceSession warm = model.newSession(Math.min(promptTokens, 16) + 4)) {
            warm.forward(tokens(random, Math.min(promptTokens, 16), vocab));
            for (int i = 0; i < 4; i++) {
                warm.forward(tokens(random, 1, vocab));
            }
        }
        try (InferenceSession session = model.newSession(promptTokens + decodeTokens)) {
            int[] prompt = tokens(random, promptTokens, vocab);
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            session.forward(prompt);
            long t1 = System.nanoTime();
            long c1 = processCpuNanos();
            int[] one = new int[1];
            for (int i = 0; i < decodeTokens; i++) {
                one[0] = random.nextInt(vocab);
                session.forward(one);
            }
            long t2 = System.nanoTime();
            long c2 = processCpuNanos();
            return new BenchResult(promptTokens, decodeTokens, (t1 - t0) / 1e9, (t2 - t1) / 1e9, cpuSeconds(c0, c1),
                    cpuSeconds(c1, c2));
        }
    }

    /** CPU time of the whole process (all threads, JIT and GC included), or -1 where the JVM cannot tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static double cpuSeconds(long from, long to) {
        return from < 0 || to < 0 ? Double.NaN : (to - from) / 1e9;
    }

    private static int[] tokens(Random r, int n, int vocab) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }
}
