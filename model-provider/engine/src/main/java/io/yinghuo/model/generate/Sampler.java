package io.yinghuo.model.generate;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses the next token from a logits vector the way Hugging Face transformers' sampling does
 * (src/transformers/generation/logits_process.py), in its order:
 * <ol>
 *   <li>repetition penalty ({@code RepetitionPenaltyLogitsProcessor}): every distinct id of the context (prompt and
 *       generated tokens so far), once each: {@code logit < 0 ? logit * p : logit / p};</li>
 *   <li>temperature ({@code TemperatureLogitsWarper}): {@code logit / t};</li>
 *   <li>top-k ({@code TopKLogitsWarper}): keep every token whose logit is {@code >=} the k-th largest, so ties at
 *       the k-th value all survive;</li>
 *   <li>top-p ({@code TopPLogitsWarper}): sort ascending, accumulate softmax probabilities, drop the tokens whose
 *       cumulative probability is {@code <= 1 - topP}; the most likely token is always kept;</li>
 *   <li>softmax over the survivors and one draw from a {@link SplittableRandom}: the same seed and the same logits
 *       give the same tokens.</li>
 * </ol>
 * With temperature 0 the token is the argmax after the repetition penalty (the lowest id wins a tie).
 *
 * <p>Arithmetic follows transformers where it matters for ties: penalty and temperature are applied in float (as
 * torch does on float32 logits), probabilities are computed in double. Among tokens with equal logits, the one with
 * the higher id is treated as less likely by top-p (torch's sort order for ties is unspecified).
 *
 * <p>Cost per call is linear in the vocabulary plus a heap selection for top-k ({@code O(V log k)}); top-p sorts only
 * the tokens that could survive it. All buffers are allocated once. The caller's logits array is never modified.
 * Not thread-safe: one sampler per generation.
 */
public final class Sampler {

    private final SamplingParams params;
    private final int vocabSize;
    private final long seed;
    private final SplittableRandom random;

    /** Penalized and tempered logits. */
    private final float[] work;
    /** Ids that survive top-k, in ascending order; their softmax weights (0 once removed) at the same index. */
    private final int[] candidates;
    private final double[] weights;
    private final float[] topKHeap;
    /** Marks ids already penalized in the current call: seenStamp[id] == stamp. */
    private final int[] seenStamp;
    private int stamp;
    private long[] sortKeys = new long[64];

    /** A sampler seeded from {@code params.seed()}, or from a fresh random seed when that is null. */
    public Sampler(SamplingParams params, int vocabSize) {
        this(params, vocabSize, params.seed() != null ? params.seed() : ThreadLocalRandom.current().nextLong());
    }

    /** A sampler with an explicit seed (overriding {@code params.seed()}). */
    public Sampler(SamplingParams params, int vocabSize, long seed) {
        this.params = Objects.requireNonNull(params, "params");
        if (vocabSize < 1) {
            throw new IllegalArgumentException("vocabSize must be >= 1, got " + vocabSize);
        }
        this.vocabSize = vocabSize;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.work = new float[vocabSize];
        this.candidates = new int[vocabSize];
        this.weights = new double[vocabSize];
        this.topKHeap = params.topK() > 0 && params.topK() < vocabSize ? new float[params.topK()] : null;
        this.seenStamp = new int[vocabSize];
    }

    /** The seed the random draws come from (report it to reproduce a run). */
    public long seed() {
        return seed;
    }

    public SamplingParams params() {
        return params;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /**
     * Picks the next token.
     *
     * @param logits        the model's logits for the next position, length {@link #vocabSize()}; not modified
     * @param context       the ids the repetition penalty looks at (prompt and generated so far)
     * @param contextLength how many leading entries of {@code context} are valid
     * @throws IllegalArgumentException when the logits have the wrong length or a context id is out of range
     * @throws IllegalStateException    when the logits contain NaN or +infinity, or are all -infinity
     */
    public int sample(float[] logits, int[] context, int contextLength) {
        return sample(logits, context, contextLength, null);
    }

    /**
     * Picks the next token among the allowed ones (constrained decoding, see
     * {@link io.yinghuo.model.constrain.TokenConstraint}): every other token's logit is set to -infinity right after
     * the repetition penalty and temperature and before top-k, top-p and the draw. (transformers'
     * {@code PrefixConstrainedLogitsProcessor} masks before the temperature; the result is the same, because penalty
     * and temperature keep -infinity at -infinity.) Top-k and top-p then choose among the allowed tokens only, a
     * masked token gets softmax weight 0 and is never drawn, and the greedy argmax never lands on it while an allowed
     * token has a finite logit.
     *
     * @param allowed bit {@code id & 63} of word {@code id >>> 6} set for each allowed id (words beyond the array
     *                mean not allowed), or null for no restriction
     * @throws IllegalStateException also when no allowed token has a finite logit
     */
    public int sample(float[] logits, int[] context, int contextLength, long[] allowed) {
        prepareLogits(logits, context, contextLength);
        if (allowed != null) {
            maskDisallowed(allowed);
        }
        if (params.isGreedy()) {
            return argmax();
        }
        int count = filterCandidates();
        return draw(count);
    }

    /**
     * The probabilities {@link #sample} would draw from for these inputs (one-hot at the argmax when greedy),
     * indexed by token id. Consumes no randomness; meant for diagnostics and tests.
     */
    public double[] distribution(float[] logits, int[] context, int contextLength) {
        prepareLogits(logits, context, contextLength);
        double[] probabilities = new double[vocabSize];
        if (params.isGreedy()) {
            probabilities[argmax()] = 1.0;
            return probabilities;
        }
        int count = filterCandidates();
        double sum = 0;
        for (int j = 0; j < count; j++) {
            sum += weights[j];
        }
        for (int j = 0; j < count; j++) {
            probabilities[candidates[j]] = weights[j] / sum;
        }
        return probabilities;
    }

    private void maskDisallowed(long[] allowed) {
        for (int i = 0; i < vocabSize; i++) {
            int word = i >>> 6;
            if (word >= allowed.length || (allowed[word] & (1L << (i & 63))) == 0) {
                work[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** Steps 1 and 2: copy, check, repetition penalty, temperature. */
    private void prepareLogits(float[] logits, int[] context, int contextLength) {
        if (logits.length != vocabSize) {
            throw new IllegalArgumentException(
                    "logits have length " + logits.length + " but the sampler's vocabulary has " + vocabSize);
        }
        if (contextLength < 0 || contextLength > context.length) {
            throw new IllegalArgumentException(
                    "contextLength " + contextLength + " is outside the context array of length " + context.length);
        }
        for (int i = 0; i < vocabSize; i++) {
            float x = logits[i];
            if (Float.isNaN(x) || x == Float.POSITIVE_INFINITY) {
                throw new IllegalStateException("logit of token " + i + " is " + x + "; the model output is broken");
            }
            work[i] = x;
        }
        if (params.repetitionPenalty() != 1.0) {
            applyRepetitionPenalty(context, contextLength, (float) params.repetitionPenalty());
        }
        if (!params.isGreedy() && params.temperature() != 1.0) {
            float t = (float) params.temperature();
            for (int i = 0; i < vocabSize; i++) {
                work[i] = work[i] / t;
            }
        }
    }

    private void applyRepetitionPenalty(int[] context, int contextLength, float penalty) {
        if (++stamp == 0) {
            Arrays.fill(seenStamp, 0);
            stamp = 1;
        }
        for (int i = 0; i < contextLength; i++) {
            int id = context[i];
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException(
                        "context id " + id + " at index " + i + " is outside the vocabulary [0, " + vocabSize + ")");
            }
            if (seenStamp[id] != stamp) {
                seenStamp[id] = stamp;
                float x = work[id];
                work[id] = x < 0 ? x * penalty : x / penalty;
            }
        }
    }

    private int argmax() {
        int best = 0;
        float bestValue = work[0];
        for (int i = 1; i < vocabSize; i++) {
            if (work[i] > bestValue) {
                bestValue = work[i];
                best = i;
            }
        }
        if (bestValue == Float.NEGATIVE_INFINITY) {
            throw new IllegalStateException("every logit is -infinity; no token can be chosen");
        }
        return best;
    }

    /**
     * Steps 3 and 4: fills {@code candidates[0..count)} with the ids that pass top-k and {@code weights} with their
     * unnormalized softmax weights, zeroing those removed by top-p. Returns count.
     */
    private int filterCandidates() {
        int count = 0;
        if (topKHeap != null) {
            float threshold = kthLargest(topKHeap);
            for (int i = 0; i < vocabSize; i++) {
                if (work[i] >= threshold) {
                    candidates[count++] = i;
                }
            }
        } else {
            for (int i = 0; i < vocabSize; i++) {
                candidates[i] = i;
            }
            count = vocabSize;
        }

        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < count; j++) {
            max = Math.max(max, work[candidates[j]]);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalStateException("every logit is -infinity; no token can be chosen");
        }
        double total = 0;
        for (int j = 0; j < count; j++) {
            double w = Math.exp((double) work[candidates[j]] - max);
            weights[j] = w;
            total += w;
        }
        if (params.topP() < 1.0) {
            applyTopP(count, total);
        }
        return count;
    }

    /** The k-th largest value of {@code work} (k = heap length), by a min-heap of the k largest seen so far. */
    private float kthLargest(float[] heap) {
        int k = heap.length;
        System.arraycopy(work, 0, heap, 0, k);
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(heap, i, heap[i]);
        }
        for (int i = k; i < vocabSize; i++) {
            float x = work[i];
            if (x > heap[0]) {
                siftDown(heap, 0, x);
            }
        }
        return heap[0];
    }

    private static void siftDown(float[] heap, int index, float value) {
        int k = heap.length;
        int i = index;
        while (true) {
            int child = 2 * i + 1;
            if (child >= k) {
                break;
            }
            if (child + 1 < k && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= value) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = value;
    }

    /**
     * TopPLogitsWarper: in ascending order of probability, a token is removed while the cumulative probability up to
     * and including it is {@code <= 1 - topP}; the last (most likely) token always stays. Only tokens that can
     * survive are sorted: a token whose weight is at most {@code limit * total / (2 * count)} has a cumulative
     * probability of at most half the limit (every token at or below it weighs no more), so it is removed without
     * sorting, and its mass still counts towards the cumulative sum of those that are sorted.
     */
    private void applyTopP(int count, double total) {
        double limit = 1.0 - params.topP();
        double surelyRemoved = limit * total * 0.5 / count;
        double removedMass = 0;
        int sorted = 0;
        if (sortKeys.length < count) {
            sortKeys = new long[Math.max(count, sortKeys.length * 2)];
        }
        for (int j = 0; j < count; j++) {
            double w = weights[j];
            if (w <= surelyRemoved) {
                removedMass += w;
                weights[j] = 0;
            } else {
                sortKeys[sorted++] = ascendingKey(work[candidates[j]], j);
            }
        }
        Arrays.sort(sortKeys, 0, sorted);
        double cumulative = removedMass;
        for (int s = 0; s < sorted - 1; s++) {
            int j = Integer.MAX_VALUE - (int) sortKeys[s];
            cumulative += weights[j];
            if (cumulative / total > limit) {
                break;
            }
            weights[j] = 0;
        }
    }

    /**
     * A long that sorts like (logit ascending, then candidate index descending), so that among equal logits the
     * lower id counts as the more likely one. The float's bits are mapped to an int with the same order.
     */
    private static long ascendingKey(float logit, int candidateIndex) {
        int bits = Float.floatToIntBits(logit + 0.0f); // + 0.0f turns -0.0 into 0.0
        bits ^= (bits >> 31) & 0x7fffffff;
        return ((long) bits << 32) | (Integer.MAX_VALUE - candidateIndex);
    }

    private int draw(int count) {
        double total = 0;
        for (int j = 0; j < count; j++) {
            total += weights[j];
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        int last = -1;
        for (int j = 0; j < count; j++) {
            double w = weights[j];
            if (w > 0) {
                cumulative += w;
                last = j;
                if (u < cumulative) {
                    return candidates[j];
                }
            }
        }
        // Only reachable through rounding when u lands at the very top of the range.
        return candidates[last];
    }
}
