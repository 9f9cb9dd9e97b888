package io.yinghuo.model.constrain;

import java.util.Arrays;

/**
 * A {@link TokenConstraint} from a byte-level {@link Grammar}: a token is allowed when all of its bytes can follow
 * the text so far. The allowed set is found by walking the vocabulary's {@link TokenTrie} depth first, advancing the
 * immutable {@link ParseState} one byte per trie edge: a prefix the grammar rejects cuts off every token below it, and
 * backtracking costs nothing because parse states are persistent.
 *
 * <p>Leading space: the project's {@link io.yinghuo.model.generate.Generator} shows the answer without the one space
 * that SentencePiece's word-start mark on the first token stands for (its {@code AnswerText} drops a leading space of
 * the decoded answer). With {@code leadingSpaceDropped} the constraint models exactly that — the first byte of the
 * generated text may be a space that is not part of the constrained text — so "▁{" is an allowed first token, and
 * the text the generator returns is exactly the text this constraint accepted.
 *
 * <p>Cost: the mask is computed stack by stack (the allowed set of several stacks is the union of each one's). A stack
 * inside a string takes the precomputed {@link StringBodyTokens} tables plus a check of the few tokens that close the
 * string; any other stack walks the trie, where the grammar prunes all but a few small subtrees. Over the 55,296-piece
 * Chinese-LLaMA-2 vocabulary that is some microseconds per step once the JIT has compiled it (see
 * {@code MaskTimingTest}), so masks are not cached. Not thread-safe.
 */
final class GrammarConstraint implements TokenConstraint {

    private final TokenVocabulary vocabulary;
    private final TokenTrie trie;
    private final int words;
    private final long[][] allowedBytesByDepth;
    private ParseState state;
    private boolean ended;

    GrammarConstraint(Grammar grammar, TokenVocabulary vocabulary, boolean leadingSpaceDropped) {
        this.vocabulary = vocabulary;
        this.trie = vocabulary.trie();
        this.words = (vocabulary.size() + 63) >>> 6;
        this.allowedBytesByDepth = new long[trie.maxDepth() + 1][4];
        this.state = ParseState.initial(grammar, leadingSpaceDropped);
    }

    @Override
    public int vocabularySize() {
        return vocabulary.size();
    }

    @Override
    public int fillAllowed(long[] mask) {
        if (mask.length < words) {
            throw new IllegalArgumentException("mask has " + mask.length + " words, needs " + words);
        }
        Arrays.fill(mask, 0L);
        if (ended) {
            return 0;
        }
        computeMask(state, mask);
        int count = 0;
        for (int i = 0; i < words; i++) {
            count += Long.bitCount(mask[i]);
        }
        return count;
    }

    private void computeMask(ParseState at, long[] mask) {
        if (at.leadingSpaceDroppable()) {
            walk(0, at, 0, mask); // the first step only: not worth a special case
        } else {
            for (int i = 0; i < at.stackCount(); i++) {
                int stringState = at.stringBodyState(i);
                if (stringState >= 0) {
                    addStringTokens(at, i, stringState, mask);
                } else {
                    walk(0, at.onlyStack(i), 0, mask);
                }
            }
        }
        if (at.isComplete()) {
            int eos = vocabulary.eosId();
            mask[eos >>> 6] |= 1L << (eos & 63);
        }
    }

    /** Stack {@code i} is inside a string: the tokens that keep it open, and those that close it and go on validly. */
    private void addStringTokens(ParseState at, int i, int stringState, long[] mask) {
        StringBodyTokens strings = vocabulary.stringBodyTokens();
        strings.addStayingInside(stringState, mask);
        int[] closers = strings.closingTokens(stringState);
        int[] quoteAt = strings.closingQuoteIndex(stringState);
        ParseState afterClose = at.afterStringCloses(i);
        for (int k = 0; k < closers.length; k++) {
            byte[] bytes = vocabulary.bytes(closers[k]);
            if (afterClose.advance(bytes, quoteAt[k] + 1, bytes.length) != null) {
                mask[closers[k] >>> 6] |= 1L << (closers[k] & 63);
            }
        }
    }

    /** Marks every token below {@code node} whose remaining bytes {@code atNode} accepts. */
    private void walk(int node, ParseState atNode, int depth, long[] mask) {
        long[] allowed = allowedBytesByDepth[depth];
        Arrays.fill(allowed, 0L);
        atNode.addAllowedBytes(allowed);
        for (int child = trie.firstChild(node); child != TokenTrie.NONE; child = trie.nextSibling(child)) {
            int b = trie.label(child);
            if ((allowed[b >>> 6] & (1L << (b & 63))) == 0) {
                continue;
            }
            ParseState next = atNode.advance(b);
            if (next == null) {
                continue;
            }
            trie.markTokensAt(child, mask);
            if (next.canContinue() && trie.firstChild(child) != TokenTrie.NONE) {
                walk(child, next, depth + 1, mask);
            }
        }
    }

    /** Whether one token is allowed, by running its bytes: the slow reference {@link #fillAllowed} must agree with. */
    boolean allowsSlowly(int tokenId) {
        if (ended) {
            return false;
        }
        if (tokenId == vocabulary.eosId()) {
            return state.isComplete();
        }
        byte[] bytes = vocabulary.bytes(tokenId);
        return bytes != null && state.advance(bytes, 0, bytes.length) != null;
    }

    @Override
    public void accept(int tokenId) {
        if (ended) {
            throw new IllegalArgumentException("token " + tokenId + " after the end of the constrained text");
        }
        if (tokenId == vocabulary.eosId()) {
            if (!state.isComplete()) {
                throw new IllegalArgumentException("EOS before the constrained text is complete");
            }
            ended = true;
            return;
        }
        if (tokenId < 0 || tokenId >= vocabulary.size() || vocabulary.bytes(tokenId) == null) {
            throw new IllegalArgumentException("token " + tokenId + " is never allowed under a constraint");
        }
        ParseState next = state;
        for (byte b : vocabulary.bytes(tokenId)) {
            next = next.advance(b & 0xFF);
            if (next == null) {
                throw new IllegalArgumentException("token " + tokenId + " is not allowed here");
            }
        }
        state = next;
    }

    @Override
    public boolean canEnd() {
        return !ended && state.isComplete();
    }

    @Override
    public boolean isComplete() {
        return ended || (state.isComplete() && !state.canContinue());
    }
}
