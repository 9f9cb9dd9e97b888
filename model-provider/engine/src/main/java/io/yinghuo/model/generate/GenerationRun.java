package io.yinghuo.model.generate;

import io.yinghuo.model.constrain.TokenConstraint;
import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.Objects;

/**
 * One generation as a state machine that does not run the model itself: whoever owns the session feeds
 * {@link #prefill()} and then, after each forward pass, hands the logits to {@link #accept}, which samples, streams
 * and says which token to feed next. {@link Generator} drives one run on one session; the model worker's batch loop
 * ({@code io.yinghuo.model.serve.BatchScheduler}) drives several runs on several sessions through one batched
 * forward pass per step. The end conditions and their order are those documented on {@link Generator}.
 *
 * <p>Not thread-safe, apart from {@link CancellationToken#cancel()}.
 */
public final class GenerationRun {

    private final Tokenizer tokenizer;
    private final SamplingParams params;
    private final TokenConstraint constraint;
    private final TextStreamListener listener;
    private final CancellationToken cancellation;
    private final Sampler sampler;
    private final long[] allowed;
    private final int promptLength;
    private final int reused;
    private final int capacity;
    private final int[] context;
    private final int[] generated;
    private final AnswerText answer;

    private int generatedCount;
    private int decodeTokens;
    private long prefillNanos;
    private long decodeNanos;
    private GenerationResult result;

    /**
     * @param vocab    the model's vocabulary size
     * @param capacity tokens the session can hold
     * @param reused   leading prompt tokens the session already holds (fewer than the prompt's length)
     * @throws IllegalArgumentException when the prompt is empty, holds an id outside the vocabulary, does not fit in
     *                                  the session, or the constraint's vocabulary is larger than the model's
     */
    public GenerationRun(Tokenizer tokenizer, int vocab, int capacity, int[] promptIds, int reused,
                         SamplingParams params, TokenConstraint constraint, TextStreamListener listener,
                         CancellationToken cancellation) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.params = Objects.requireNonNull(params, "params");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
        checkPrompt(promptIds, vocab, capacity);
        if (reused < 0 || reused >= promptIds.length) {
            throw new IllegalArgumentException("reused prefix " + reused + " outside 0.." + (promptIds.length - 1));
        }
        this.constraint = constraint;
        this.sampler = new Sampler(params, vocab);
        if (constraint != null) {
            if (constraint.vocabularySize() > vocab) {
                throw new IllegalArgumentException("the constraint's vocabulary has " + constraint.vocabularySize()
                        + " tokens but the model's has " + vocab);
            }
            this.allowed = new long[(vocab + 63) >>> 6];
        } else {
            this.allowed = null;
        }
        this.promptLength = promptIds.length;
        this.reused = reused;
        this.capacity = capacity;
        // Every sampled token but the last is fed back, so the session's free room bounds the count too.
        int maxGenerated = (int) Math.min(params.maxNewTokens(), (long) capacity - promptLength + 1);
        this.context = Arrays.copyOf(promptIds, promptLength + maxGenerated);
        this.generated = new int[maxGenerated];
        this.answer = new AnswerText(tokenizer.streamingDecoder(), params.stopStrings());
        if (cancellation.isCancelled()) {
            result = new GenerationResult("", new int[0], FinishReason.CANCELLED, null, promptLength, 0, 0, 0, 0,
                    sampler.seed());
        }
    }

    /**
     * The checks {@link Generator#generate} makes on a prompt.
     *
     * @throws IllegalArgumentException when it is empty, holds an id outside [0, vocab) or exceeds the capacity
     */
    public static void checkPrompt(int[] promptIds, int vocab, int capacity) {
        Objects.requireNonNull(promptIds, "promptIds");
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt is empty; it needs at least one token (usually BOS)");
        }
        for (int i = 0; i < promptIds.length; i++) {
            if (promptIds[i] < 0 || promptIds[i] >= vocab) {
                throw new IllegalArgumentException("prompt token " + promptIds[i] + " at index " + i
                        + " is outside the model's vocabulary [0, " + vocab + ")");
            }
        }
        if (promptIds.length > capacity) {
            throw new IllegalArgumentException("the prompt has " + promptIds.length
                    + " tokens but the session holds at most " + capacity);
        }
    }

    /** True once the run has ended (cancelled before its start included); {@link #result()} is then available. */
    public boolean finished() {
        return result != null;
    }

    /** The prompt tokens to run before the first sample: those after the reused prefix. */
    public int[] prefill() {
        return Arrays.copyOfRange(context, reused, promptLength);
    }

    public int reused() {
        return reused;
    }

    public CancellationToken cancellation() {
        return cancellation;
    }

    /** Adds time spent on this run's prefill (the part of the batched passes that ran its prompt). */
    public void prefillTook(long nanos) {
        prefillNanos += nanos;
    }

    /** Adds the time of a decode step that fed this run's last token. */
    public void decodeTook(long nanos) {
        decodeNanos += nanos;
    }

    /**
     * Handles the logits after the last token fed: checks cancellation, samples, streams the text piece and checks
     * the end conditions.
     *
     * @return the token to feed next, or -1 when the run has ended (see {@link #result()})
     * @throws IllegalStateException when a constraint allows no token
     */
    public int accept(float[] logits) {
        if (result != null) {
            throw new IllegalStateException("the generation has already ended");
        }
        if (cancellation.isCancelled()) {
            return end(FinishReason.CANCELLED);
        }
        if (constraint != null && constraint.fillAllowed(allowed) == 0) {
            throw new IllegalStateException("the constraint allows no token after " + generatedCount
                    + " generated tokens");
        }
        int id = sampler.sample(logits, context, promptLength + generatedCount, allowed);
        if (constraint != null) {
            constraint.accept(id);
        }
        if (id == tokenizer.eosId()) {
            return end(FinishReason.STOP);
        }
        context[promptLength + generatedCount] = id;
        generated[generatedCount++] = id;
        emit(answer.accept(id));
        if (answer.stopped() || constraint != null && constraint.isComplete()) {
            return end(FinishReason.STOP);
        }
        if (cancellation.isCancelled()) {
            return end(FinishReason.CANCELLED);
        }
        // the session holds the prompt and every fed token
        if (generatedCount >= params.maxNewTokens() || promptLength + decodeTokens >= capacity) {
            return end(FinishReason.LENGTH);
        }
        decodeTokens++;
        return id;
    }

    /** Ends the run from outside (e.g. a failed pass left it without logits): cancelled with what it has. */
    public GenerationResult cancel() {
        if (result == null) {
            end(FinishReason.CANCELLED);
        }
        return result;
    }

    private int end(FinishReason reason) {
        emit(answer.finish());
        result = new GenerationResult(answer.text(), Arrays.copyOf(generated, generatedCount), reason,
                answer.matchedStop(), promptLength, promptLength - reused, prefillNanos, decodeTokens, decodeNanos,
                sampler.seed());
        return -1;
    }

    /** The result once {@link #finished()}. */
    public GenerationResult result() {
        if (result == null) {
            throw new IllegalStateException("the generation has not ended yet");
        }
        return result;
    }

    /**
     * The tokens the session holds once the run has ended normally: the prompt and every fed sampled token (the last
     * sampled one was never fed).
     */
    public int[] sessionTokens() {
        return Arrays.copyOf(context, promptLength + decodeTokens);
    }

    private void emit(String piece) {
        if (!piece.isEmpty()) {
            listener.onText(piece);
        }
    }
}
