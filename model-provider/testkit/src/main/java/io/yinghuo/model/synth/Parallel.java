package io.yinghuo.model.synth;

import java.util.stream.IntStream;

/** Splits [0, n) into blocks and runs them on the common fork-join pool (generation is embarrassingly parallel). */
final class Parallel {
    interface Block {
        void run(int from, int to);
    }

    private Parallel() {
    }

    /**
     * Runs {@code body} over blocks of at least {@code minBlock} indices; the block count is a small multiple of the
     * processor count so uneven blocks still balance.
     */
    static void forBlocks(int n, int minBlock, Block body) {
        int tasks = Math.max(1, Math.min(n / Math.max(1, minBlock), Runtime.getRuntime().availableProcessors() * 4));
        if (tasks == 1) {
            body.run(0, n);
            return;
        }
        IntStream.range(0, tasks).parallel().forEach(t -> body.run((int) ((long) n * t / tasks),
                (int) ((long) n * (t + 1) / tasks)));
    }
}
