package io.yinghuo.model.generate;

/** Hears about each evaluated window of a {@link PerplexityEvaluator} run. */
@FunctionalInterface
public interface PerplexityProgressListener {

    /**
     * @param windowIndex  0-based index of the window just evaluated
     * @param windowCount  number of windows in the run
     * @param scoredTokens tokens scored so far, this window included
     * @param runningNll   mean negative log-likelihood over those tokens
     */
    void onWindow(int windowIndex, int windowCount, int scoredTokens, double runningNll);

    PerplexityProgressListener NONE = (windowIndex, windowCount, scoredTokens, runningNll) -> { };
}
