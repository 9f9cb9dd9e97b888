package io.yinghuo.model.engine;

import java.util.Objects;

/**
 * One sequence's share of a batched forward pass ({@link LoadedModel#forwardBatch}): tokens appended to its session,
 * and where the logits after the last of them go.
 *
 * @param session    a session of the model that runs the batch
 * @param tokens     tokens to append (a decode step's one token, or a chunk of a prompt)
 * @param ropeLength the sequence length L the keys of these tokens are rotated for: the session's length plus the
 *                   tokens of the whole call this chunk belongs to (matters only for length-dependent RoPE, where
 *                   a prompt's keys all take the prompt's full length, as one Hugging Face forward call does)
 * @param logits     receives the logits after the last token (vocabSize floats), or null when not wanted (a
 *                   prompt chunk that is not the last)
 */
public record SequenceStep(InferenceSession session, int[] tokens, int ropeLength, float[] logits) {

    public SequenceStep {
        Objects.requireNonNull(session, "session");
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("a sequence step needs at least one token");
        }
        if (ropeLength < session.length() + tokens.length) {
            throw new IllegalArgumentException("rope length " + ropeLength + " is shorter than the "
                    + (session.length() + tokens.length) + " tokens the session will hold");
        }
        if (logits != null && logits.length < session.vocabSize()) {
            throw new IllegalArgumentException("the logits array holds " + logits.length + " floats, the vocabulary "
                    + session.vocabSize());
        }
    }

    /** A step whose tokens are a whole call: rotated for the length the session reaches with them. */
    public static SequenceStep of(InferenceSession session, int[] tokens, float[] logits) {
        return new SequenceStep(session, tokens, session.length() + tokens.length, logits);
    }
}
