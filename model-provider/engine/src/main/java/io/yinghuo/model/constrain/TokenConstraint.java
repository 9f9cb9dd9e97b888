package io.yinghuo.model.constrain;

/**
 * Restricts which tokens may be generated next, one decode step at a time (constrained decoding as in llama.cpp's
 * grammars, Outlines and XGrammar): before each sampling step the generator asks for the {@linkplain #fillAllowed
 * allowed tokens} and masks the others out of the logits, then reports the token it picked ({@link #accept}).
 *
 * <p>Stateful: one instance per generation, used from one thread.
 */
public interface TokenConstraint {

    /** The vocabulary size the token ids refer to. */
    int vocabularySize();

    /**
     * Writes the set of tokens allowed next into {@code mask} (bit {@code id & 63} of word {@code id >>> 6}; every
     * other bit is cleared), EOS included exactly when {@link #canEnd()}.
     *
     * @param mask at least {@code (vocabularySize() + 63) / 64} words
     * @return how many tokens are allowed
     */
    int fillAllowed(long[] mask);

    /**
     * Advances past a generated token (EOS included, which ends the constraint).
     *
     * @throws IllegalArgumentException when the token is not allowed in the current state
     */
    void accept(int tokenId);

    /** Whether the text so far is complete, so that EOS is allowed now. */
    boolean canEnd();

    /** Whether the text is complete and nothing may follow but EOS (or EOS was accepted). */
    boolean isComplete();
}
