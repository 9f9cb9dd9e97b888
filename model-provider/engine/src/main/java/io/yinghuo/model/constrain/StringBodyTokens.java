package io.yinghuo.model.constrain;

import java.util.Arrays;

/**
 * Which tokens can continue an open JSON string, precomputed once per vocabulary for each {@link JsonStringBody}
 * state. Inside a string almost the whole vocabulary is allowed, so walking the trie there would visit most of its
 * nodes at every step; but whether a token stays inside the string depends on nothing but the string state, so it is
 * a table lookup. Only the tokens that close the string (a few hundred hold a '"') depend on what follows the string
 * and are checked one by one. This is the split into context-independent and context-dependent tokens that XGrammar
 * ("XGrammar: Flexible and Efficient Structured Generation Engine for Large Language Models", 2024) makes in general.
 */
final class StringBodyTokens {

    private static final int STATES = 13;

    /** Per string state: the tokens whose every byte is accepted without closing the string. */
    private final long[][] staysInside = new long[STATES][];
    /** Per string state: the tokens that close the string, and the index of their closing quote byte. */
    private final int[][] closingTokens = new int[STATES][];
    private final int[][] closingQuoteIndex = new int[STATES][];

    StringBodyTokens(TokenVocabulary vocabulary) {
        int words = (vocabulary.size() + 63) >>> 6;
        for (int s = 0; s < STATES; s++) {
            long[] inside = new long[words];
            int[] closers = new int[64];
            int[] quoteAt = new int[64];
            int closerCount = 0;
            for (int id = 0; id < vocabulary.size(); id++) {
                byte[] bytes = vocabulary.bytes(id);
                if (bytes == null) {
                    continue;
                }
                int state = s;
                int i = 0;
                for (; i < bytes.length && state >= 0; i++) {
                    state = JsonStringBody.next(state, bytes[i] & 0xFF);
                }
                if (state >= 0) {
                    inside[id >>> 6] |= 1L << (id & 63);
                } else if (state == JsonStringBody.CLOSED) {
                    if (closerCount == closers.length) {
                        closers = Arrays.copyOf(closers, closerCount * 2);
                        quoteAt = Arrays.copyOf(quoteAt, closerCount * 2);
                    }
                    closers[closerCount] = id;
                    quoteAt[closerCount++] = i - 1;
                }
            }
            staysInside[s] = inside;
            closingTokens[s] = Arrays.copyOf(closers, closerCount);
            closingQuoteIndex[s] = Arrays.copyOf(quoteAt, closerCount);
        }
    }

    /** ORs into {@code mask} the tokens that leave a string in {@code state} open (and valid). */
    void addStayingInside(int state, long[] mask) {
        long[] inside = staysInside[state];
        for (int w = 0; w < inside.length; w++) {
            mask[w] |= inside[w];
        }
    }

    int[] closingTokens(int state) {
        return closingTokens[state];
    }

    /** For {@code closingTokens(state)[i]}: the index of the byte that closes the string. */
    int[] closingQuoteIndex(int state) {
        return closingQuoteIndex[state];
    }
}
