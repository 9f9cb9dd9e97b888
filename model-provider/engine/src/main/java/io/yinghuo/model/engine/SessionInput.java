package io.yinghuo.model.engine;

/** The checks every backend's session makes on the tokens it is asked to append, with the same messages. */
public final class SessionInput {
    private SessionInput() {
    }

    /**
     * @param length tokens already in the session
     * @throws IllegalArgumentException for no tokens, more than the session has room for, or an id outside the vocabulary
     */
    public static void check(int[] tokens, int length, int capacity, int vocab) {
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("no tokens to run");
        }
        if (tokens.length > capacity - length) {
            throw new IllegalArgumentException(tokens.length + " more tokens do not fit in this session: it holds "
                    + length + " of its capacity of " + capacity + " tokens");
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at index " + i
                        + " is outside the vocabulary 0.." + (vocab - 1));
            }
        }
    }
}
