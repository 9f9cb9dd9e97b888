package io.yinghuo.model.generate;

/**
 * Receives the answer text as it is generated, in order, on the generating thread. Each piece is non-empty and made
 * of whole characters; the concatenation of all pieces equals {@link GenerationResult#text()}. Text that might begin
 * a stop string arrives only once it is known not to be one. An exception thrown here aborts the generation and
 * propagates to the caller of {@link Generator#generate}.
 */
@FunctionalInterface
public interface TextStreamListener {

    void onText(String piece);

    /** A listener that ignores the stream (the result still carries the full text). */
    TextStreamListener NONE = piece -> { };
}
