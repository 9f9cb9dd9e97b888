package io.yinghuo.model.tokenizer;

/**
 * Decodes generated ids one at a time. Each call returns the new text that is complete (never half a UTF-8
 * character: byte tokens are held back until their sequence completes or proves invalid, then U+FFFD).
 * The concatenation of all returned pieces plus {@link #flush()} equals {@link Tokenizer#decode} of all ids
 * as a continuation (so the first piece keeps its leading space unless {@code dropLeadingSpace} was asked for).
 */
public interface StreamingDecoder {

    String accept(int id);

    /** Whatever is still held back (incomplete bytes become U+FFFD). */
    String flush();
}
