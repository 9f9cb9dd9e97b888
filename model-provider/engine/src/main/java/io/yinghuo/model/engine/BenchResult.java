package io.yinghuo.model.engine;

/**
 * Timings of one {@link EngineBench} run: a batched prefill of {@code promptTokens} then {@code decodeTokens}
 * single-token steps, in wall seconds and in CPU seconds of the whole process (NaN where the JVM cannot tell). On a
 * machine shared with other work the wall rates measure the share of the cores the run got; tokens per CPU second
 * measure the work per token (for a one-thread run, the speed the run would have on an idle core).
 */
public record BenchResult(int promptTokens, int decodeTokens, double prefillSeconds, double decodeSeconds,
                          double prefillCpuSeconds, double decodeCpuSeconds) {

    public double prefillTokensPerSecond() {
        return promptTokens / prefillSeconds;
    }

    public double decodeTokensPerSecond() {
        return decodeTokens / decodeSeconds;
    }

    public double prefillTokensPerCpuSecond() {
        return promptTokens / prefillCpuSeconds;
    }

    public double decodeTokensPerCpuSecond() {
        return decodeTokens / decodeCpuSeconds;
    }
}
