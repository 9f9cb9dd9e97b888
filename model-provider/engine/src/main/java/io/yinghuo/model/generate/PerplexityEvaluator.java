package io.yinghuo.model.generate;

import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.Objects;

/**
 * Perplexity of a text under a model, by this exact contract (it backs the {@code perplexity} command):
 * <ol>
 *   <li>the whole text is encoded with {@link Tokenizer#encode} (dummy prefix at the start, newlines become byte
 *       tokens) and BOS is put in front once;</li>
 *   <li>the ids are cut into consecutive, non-overlapping windows of at most {@code windowSize} tokens; a last
 *       window shorter than 2 tokens (nothing to score) is dropped; only the first window starts with BOS;</li>
 *   <li>each window is evaluated alone from an empty cache ({@code truncate(0)}), positions 0..n-1, in one batched
 *       pass ({@link InferenceSession#forwardAll});</li>
 *   <li>in a window of n tokens, tokens 1..n-1 are scored with {@code log p(token i | tokens 0..i-1)}, a log-softmax
 *       computed in double with the maximum subtracted first.</li>
 * </ol>
 * The result has the number of scored tokens, their mean negative log-likelihood (natural log), {@code exp} of it
 * and every token's log-probability in text order. The session's previous contents are discarded.
 */
public final class PerplexityEvaluator {

    private final InferenceSession session;
    private final Tokenizer tokenizer;

    public PerplexityEvaluator(InferenceSession session, Tokenizer tokenizer) {
        this.session = Objects.requireNonNull(session, "session");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    }

    public PerplexityResult evaluate(String text, int windowSize) {
        return evaluate(text, windowSize, PerplexityProgressListener.NONE);
    }

    /**
     * @throws IllegalArgumentException when {@code windowSize} is below 2 or above the session's capacity, or the
     *                                  text yields no token to score
     */
    public PerplexityResult evaluate(String text, int windowSize, PerplexityProgressListener progress) {
        Objects.requireNonNull(text, "text");
        int[] encoded = tokenizer.encode(text);
        int[] ids = new int[encoded.length + 1];
        ids[0] = tokenizer.bosId();
        System.arraycopy(encoded, 0, ids, 1, encoded.length);
        return evaluateIds(ids, windowSize, progress);
    }

    /**
     * Steps 2 to 4 of the contract on ready ids (BOS already in front where wanted).
     */
    public PerplexityResult evaluateIds(int[] ids, int windowSize, PerplexityProgressListener progress) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(progress, "progress");
        if (windowSize < 2) {
            throw new IllegalArgumentException("the perplexity window must hold at least 2 tokens, got " + windowSize);
        }
        if (windowSize > session.capacity()) {
            throw new IllegalArgumentException("the perplexity window of " + windowSize
                    + " tokens exceeds the session's capacity of " + session.capacity());
        }
        int vocab = session.vocabSize();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException(
                        "token " + ids[i] + " at index " + i + " is outside the model's vocabulary [0, " + vocab + ")");
            }
        }
        int windowCount = windowCount(ids.length, windowSize);
        if (windowCount == 0) {
            throw new IllegalArgumentException("the text is too short for a perplexity: it has " + ids.length
                    + " token(s) with BOS, at least 2 are needed");
        }

        double[] logprobs = new double[scoredTokenCount(ids.length, windowSize)];
        int scored = 0;
        double nllSum = 0;
        for (int w = 0; w < windowCount; w++) {
            int from = w * windowSize;
            int[] window = Arrays.copyOfRange(ids, from, Math.min(from + windowSize, ids.length));
            int offset = scored;
            session.truncate(0);
            session.forwardAll(window, (index, logits) -> {
                if (index + 1 < window.length) {
                    logprobs[offset + index] = logSoftmax(logits, window[index + 1]);
                }
            });
            scored += window.length - 1;
            for (int i = offset; i < scored; i++) {
                nllSum -= logprobs[i];
            }
            progress.onWindow(w, windowCount, scored, nllSum / scored);
        }
        session.truncate(0);
        return new PerplexityResult(logprobs);
    }

    /** Windows of at most {@code windowSize} ids, the last one dropped when it has fewer than 2. */
    static int windowCount(int idCount, int windowSize) {
        int full = idCount / windowSize;
        int rest = idCount % windowSize;
        return full + (rest >= 2 ? 1 : 0);
    }

    /** Tokens scored in all windows: every window's tokens but its first. */
    static int scoredTokenCount(int idCount, int windowSize) {
        int rest = idCount % windowSize;
        int used = idCount - (rest < 2 ? rest : 0);
        return used - windowCount(idCount, windowSize);
    }

    /** {@code log softmax(logits)[target]} in double: max subtracted before exponentiating. */
    static double logSoftmax(float[] logits, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x - max);
        }
        return (logits[target] - max) - Math.log(sum);
    }
}
