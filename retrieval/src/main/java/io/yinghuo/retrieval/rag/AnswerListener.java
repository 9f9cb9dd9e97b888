package io.yinghuo.retrieval.rag;

import java.util.List;

/**
 * Receives an answer as it is made: the evidence first, then the answer's text piece by piece, then the complete
 * response (or an error). With a model, the calls after {@link #onEvidence} come from the model's worker thread;
 * a listener that blocks holds up the model. Exactly one of {@link #onComplete} and {@link #onError} ends a
 * question, unless it was cancelled before the model answered (then {@link #onComplete} carries what was written).
 */
public interface AnswerListener {

    AnswerListener NONE = new AnswerListener() {
    };

    /**
     * Called first, on the asking thread, with the handle of this question: a listener may cancel from its own
     * callbacks even when the model streams before {@code ask} returns.
     */
    default void onStart(AskHandle handle) {
    }

    /** The passages given to the model (or shown), before any answer text. */
    default void onEvidence(String standalone, List<String> parts, List<Source> evidence) {
    }

    /** The next piece of the answer, whole characters only. */
    default void onToken(String text) {
    }

    default void onComplete(AskResponse response) {
    }

    default void onError(Throwable error) {
    }
}
