package io.yinghuo.model.generate;

import io.yinghuo.model.constrain.TokenConstraint;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.Objects;

/**
 * Runs one prompt through a model and streams the answer: a prefill of the prompt ids in one batched forward pass,
 * then one forward pass per sampled token.
 *
 * <p>Generation ends, in this order of checks, when
 * <ul>
 *   <li>the caller cancelled ({@link FinishReason#CANCELLED}; checked before every forward pass and after every
 *       streamed piece, so a cancel from another thread takes effect once the running pass returns);</li>
 *   <li>the model samples EOS ({@link FinishReason#STOP}; EOS is not part of the text or the token ids but counts
 *       towards {@code maxNewTokens}, as in transformers);</li>
 *   <li>the answer text reaches a stop string ({@link FinishReason#STOP}; the stop string and everything after it
 *       is neither streamed nor part of the text);</li>
 *   <li>with a {@link TokenConstraint}, the constrained text is complete and only EOS could follow
 *       ({@link FinishReason#STOP});</li>
 *   <li>{@code maxNewTokens} tokens have been sampled, or the session has no room for the next token
 *       ({@link FinishReason#LENGTH}; a full context is a normal end, never an exception).</li>
 * </ul>
 * The answer text does not start with the space that SentencePiece's word-start mark "▁" on the first token stands
 * for (as Hugging Face's streamers; see {@code AnswerText}). Exceptions from the session, the tokenizer or the
 * listener propagate to the caller of {@link #generate}.
 *
 * <p>A generator uses its session exclusively: with {@code reusePromptPrefix} it remembers which tokens the session
 * holds after a call and, on the next call, runs only the part of the new prompt after the longest common prefix
 * (multi-turn chat re-sends the whole history). Anything else that changes the session in between must be followed
 * by {@link #forgetCache()}. Not thread-safe, apart from {@link CancellationToken#cancel()}.
 */
public final class Generator {

    private final InferenceSession session;
    private final Tokenizer tokenizer;
    private final boolean reusePromptPrefix;
    private final int[] singleToken = new int[1];

    /** The tokens the session holds, as far as this generator knows; null when unknown. */
    private int[] sessionTokens;

    /** A generator that clears the session before every prompt. */
    public Generator(InferenceSession session, Tokenizer tokenizer) {
        this(session, tokenizer, false);
    }

    /**
     * @param reusePromptPrefix keep the cached tokens shared with the previous sequence instead of recomputing them
     */
    public Generator(InferenceSession session, Tokenizer tokenizer, boolean reusePromptPrefix) {
        this.session = Objects.requireNonNull(session, "session");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.reusePromptPrefix = reusePromptPrefix;
    }

    /** Generates without streaming or cancellation. */
    public GenerationResult generate(int[] promptIds, SamplingParams params) {
        return generate(promptIds, params, TextStreamListener.NONE, new CancellationToken());
    }

    /**
     * Generates an answer to {@code promptIds} (the full prompt, BOS included, e.g. from
     * {@link Tokenizer#encodePrompt}).
     *
     * @throws IllegalArgumentException when the prompt is empty, holds an id outside the model's vocabulary or does
     *                                  not fit in the session
     */
    public GenerationResult generate(int[] promptIds, SamplingParams params, TextStreamListener listener,
                                     CancellationToken cancellation) {
        return generate(promptIds, params, null, listener, cancellation);
    }

    /**
     * Generates an answer restricted by {@code constraint} (e.g. JSON valid against a schema, from
     * {@link io.yinghuo.model.constrain.JsonGrammar#newConstraint}): before each sampling step the tokens the
     * constraint does not allow get a logit of -infinity ({@link Sampler#sample(float[], int[], int, long[])}), EOS is
     * allowed only where the constrained text is complete, and each sampled token is passed to
     * {@link TokenConstraint#accept}. Generation ends with {@link FinishReason#STOP} at EOS or as soon as the text is
     * complete and nothing but EOS could follow (that EOS is not sampled, saving a forward pass); running out of
     * {@code maxNewTokens} or context first ends it with {@link FinishReason#LENGTH} and an incomplete text. Stop
     * strings still apply and cut the text (leave them out of constrained requests).
     *
     * @param constraint a fresh constraint for this generation (stateful), or null for none
     * @throws IllegalArgumentException also when the constraint's vocabulary is larger than the model's
     * @throws IllegalStateException    when the constraint allows no token at some step
     */
    public GenerationResult generate(int[] promptIds, SamplingParams params, TokenConstraint constraint,
                                     TextStreamListener listener, CancellationToken cancellation) {
        Objects.requireNonNull(promptIds, "promptIds");
        int reused = reusablePrefix(promptIds);
        GenerationRun run = new GenerationRun(tokenizer, session.vocabSize(), session.capacity(), promptIds, reused,
                params, constraint, listener, cancellation);
        if (run.finished()) {
            return run.result();
        }
        sessionTokens = null; // unknown until the passes below succeed
        session.truncate(reused);
        long start = System.nanoTime();
        float[] logits = session.forward(run.prefill());
        run.prefillTook(System.nanoTime() - start);
        for (int next = run.accept(logits); next >= 0; next = run.accept(logits)) {
            singleToken[0] = next;
            start = System.nanoTime();
            logits = session.forward(singleToken);
            run.decodeTook(System.nanoTime() - start);
        }
        sessionTokens = run.sessionTokens();
        return run.result();
    }

    /** Makes the next call start from an empty cache; needed when something else used the session. */
    public void forgetCache() {
        sessionTokens = null;
    }

    public InferenceSession session() {
        return session;
    }

    /**
     * How many leading prompt tokens the session already holds. At least one prompt token is always run, because
     * the logits after the last one are needed.
     */
    private int reusablePrefix(int[] promptIds) {
        if (!reusePromptPrefix || sessionTokens == null || session.length() != sessionTokens.length) {
            return 0;
        }
        int limit = Math.min(sessionTokens.length, promptIds.length - 1);
        int common = 0;
        while (common < limit && sessionTokens[common] == promptIds[common]) {
            common++;
        }
        return common;
    }
}
