package io.yinghuo.model.constrain;

import java.util.Arrays;

/**
 * Where a byte-level parse stands: the set of live parse stacks (several while the text read so far is ambiguous,
 * as in llama.cpp's grammar engine, e.g. an {@code anyOf} whose branches start alike, or a number that may go on
 * with more digits or end), whether the text read so far is a complete sentence of the grammar, and whether the next
 * byte may be a space that the consumer of the text drops (see {@link GrammarConstraint}). Immutable.
 */
final class ParseState {

    private static final Frame[] NO_STACKS = new Frame[0];

    private final Grammar grammar;
    private final Frame[] stacks;
    private final boolean complete;
    private final boolean leadingSpaceDroppable;

    private ParseState(Grammar grammar, Frame[] stacks, boolean complete, boolean leadingSpaceDroppable) {
        this.grammar = grammar;
        this.stacks = stacks;
        this.complete = complete;
        this.leadingSpaceDroppable = leadingSpaceDroppable;
    }

    /** Nothing read yet. */
    static ParseState initial(Grammar grammar, boolean leadingSpaceDroppable) {
        StackCollector out = new StackCollector();
        out.expand(grammar, 0, null);
        return new ParseState(grammar, out.stacks(), out.complete, leadingSpaceDroppable);
    }

    /** True when the bytes read so far form a complete sentence: the end of the text (EOS) may come now. */
    boolean isComplete() {
        return complete;
    }

    /** True when some byte may still follow. */
    boolean canContinue() {
        return stacks.length > 0 || leadingSpaceDroppable;
    }

    /** ORs the bytes that may come next into the four-word set {@code out}. */
    void addAllowedBytes(long[] out) {
        if (leadingSpaceDroppable) {
            out[0] |= 1L << ' ';
        }
        for (Frame top : stacks) {
            int p = top.position;
            switch (grammar.kind[p]) {
                case Grammar.BYTES -> grammar.set[p].addTo(out);
                case Grammar.STRING_BODY -> JsonStringBody.allowed(top.progress).addTo(out);
                case Grammar.REPEAT -> {
                    if (top.progress < grammar.repeatMax[p]) {
                        grammar.set[p].addTo(out);
                    }
                }
                default -> throw new IllegalStateException("stack top is not a terminal: " + p);
            }
        }
    }

    boolean leadingSpaceDroppable() {
        return leadingSpaceDroppable;
    }

    int stackCount() {
        return stacks.length;
    }

    /**
     * The state holding only stack {@code i}, not complete: the tokens allowed from a set of stacks are the union of
     * those allowed from each (the stacks evolve independently), which lets the mask be computed stack by stack.
     */
    ParseState onlyStack(int i) {
        return new ParseState(grammar, new Frame[] {stacks[i]}, false, false);
    }

    /** The {@link JsonStringBody} state of stack {@code i}, or -1 when its top is not inside a string. */
    int stringBodyState(int i) {
        Frame top = stacks[i];
        return grammar.kind[top.position] == Grammar.STRING_BODY ? top.progress : -1;
    }

    /** The state right after the string open on stack {@code i} closes. */
    ParseState afterStringCloses(int i) {
        Frame top = stacks[i];
        StackCollector out = new StackCollector();
        out.expand(grammar, top.position + 1, top.below);
        return new ParseState(grammar, out.stacks(), out.complete, false);
    }

    /** The state after bytes {@code [from, to)} of {@code bytes}, or null when they cannot come next. */
    ParseState advance(byte[] bytes, int from, int to) {
        ParseState state = this;
        for (int i = from; i < to && state != null; i++) {
            state = state.advance(bytes[i] & 0xFF);
        }
        return state;
    }

    /** The state after byte {@code b} (0..255), or null when {@code b} cannot come next. */
    ParseState advance(int b) {
        if (leadingSpaceDroppable && b == ' ') {
            return new ParseState(grammar, stacks, complete, false);
        }
        StackCollector out = new StackCollector();
        for (Frame top : stacks) {
            int p = top.position;
            switch (grammar.kind[p]) {
                case Grammar.BYTES -> {
                    if (grammar.set[p].contains(b)) {
                        out.expand(grammar, p + 1, top.below);
                    }
                }
                case Grammar.STRING_BODY -> {
                    int next = JsonStringBody.next(top.progress, b);
                    if (next == JsonStringBody.CLOSED) {
                        out.expand(grammar, p + 1, top.below);
                    } else if (next != JsonStringBody.REJECT) {
                        out.add(new Frame(p, next, top.below));
                    }
                }
                case Grammar.REPEAT -> {
                    int count = top.progress + 1;
                    if (count <= grammar.repeatMax[p] && grammar.set[p].contains(b)) {
                        if (count < grammar.repeatMax[p]) {
                            out.add(new Frame(p, count, top.below));
                        }
                        if (count >= grammar.repeatMin[p]) {
                            out.expand(grammar, p + 1, top.below);
                        }
                    }
                }
                default -> throw new IllegalStateException("stack top is not a terminal: " + p);
            }
        }
        if (out.count == 0 && !out.complete) {
            return null;
        }
        return new ParseState(grammar, out.stacks(), out.complete, false);
    }

    /** Gathers the distinct stacks that moving to grammar positions produces. */
    private static final class StackCollector {
        private Frame[] frames = new Frame[4];
        private int count;
        private boolean complete;

        /** Moves the parse to position {@code p} above {@code below}: pushes each expansion, or returns. */
        void expand(Grammar grammar, int p, Frame below) {
            for (int[] segment : grammar.expansions[p]) {
                if (segment == null) {
                    if (below == null) {
                        complete = true;
                    } else {
                        expand(grammar, below.position, below.below);
                    }
                } else {
                    Frame top = below;
                    for (int position : segment) {
                        top = new Frame(position, 0, top);
                    }
                    add(top);
                }
            }
        }

        void add(Frame stack) {
            for (int i = 0; i < count; i++) {
                if (frames[i].equals(stack)) {
                    return;
                }
            }
            if (count == frames.length) {
                frames = Arrays.copyOf(frames, count * 2);
            }
            frames[count++] = stack;
        }

        Frame[] stacks() {
            return count == 0 ? NO_STACKS : Arrays.copyOf(frames, count);
        }
    }
}
