package io.yinghuo.model.engine;

/**
 * Timings of one {@link EngineBench} run: a batched prefill of {@code promptTokens} then {@code decodeTokens}
 * single-token steps.
 */
public record BenchResult(int promptTokens, int decodeTokens, double prefillSeconds, double decodeSeconds) {

    public double prefillTokensPerSecond() {
        return promptTokens / prefillSeconds;
    }

    public double decodeTokensPerSecond() {
        return decodeTokens / decodeSeconds;
    }
}
