package io.yinghuo.model.generate;

/**
 * The outcome of one {@link Generator#generate} call. Timings come from {@link System#nanoTime()} and cover the
 * model's forward passes only (not sampling, decoding or the listener).
 *
 * @param text           the answer as streamed: no leading space, cut before any stop string
 * @param tokenIds       the sampled ids, EOS excluded (ids after a stop string's start are included: the model did
 *                       produce them)
 * @param finishReason   why it ended
 * @param stopString     the stop string that ended it, or null
 * @param promptTokens   length of the prompt
 * @param prefillTokens  prompt tokens actually run in the prefill (fewer than promptTokens when a cached prefix of
 *                       the previous sequence was reused)
 * @param prefillNanos   time of the prefill forward pass
 * @param decodeTokens   single-token forward passes in the decode loop
 * @param decodeNanos    their total time
 * @param seed           the sampler's seed (meaningless for greedy decoding)
 */
public record GenerationResult(
        String text,
        int[] tokenIds,
        FinishReason finishReason,
        String stopString,
        int promptTokens,
        int prefillTokens,
        long prefillNanos,
        int decodeTokens,
        long decodeNanos,
        long seed) {

    /** Number of sampled tokens, EOS excluded. */
    public int generatedTokens() {
        return tokenIds.length;
    }

    public double prefillTokensPerSecond() {
        return perSecond(prefillTokens, prefillNanos);
    }

    public double decodeTokensPerSecond() {
        return perSecond(decodeTokens, decodeNanos);
    }

    private static double perSecond(int tokens, long nanos) {
        return nanos <= 0 ? 0.0 : tokens * 1e9 / nanos;
    }
}
