package io.yinghuo.model.constrain;

/**
 * One entry of a persistent (immutable, shared-tail) parse stack: the top entry holds the terminal position to match
 * next, with {@code progress} inside it (bytes of a bounded repeat matched so far, or the {@link JsonStringBody}
 * state); the entries below hold return positions. Advancing a byte builds a new top and shares everything below, so
 * a parse state is copied by keeping a reference and rolled back by dropping one — what the mask walk over the token
 * trie does at every node.
 */
final class Frame {

    final int position;
    final int progress;
    final Frame below;
    private final int hash;

    Frame(int position, int progress, Frame below) {
        this.position = position;
        this.progress = progress;
        this.below = below;
        this.hash = 31 * (31 * position + progress) + (below == null ? 0 : below.hash);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Frame)) {
            return false;
        }
        Frame a = this;
        Frame b = (Frame) o;
        while (a != b) {
            if (a == null || b == null || a.hash != b.hash || a.position != b.position || a.progress != b.progress) {
                return false;
            }
            a = a.below;
            b = b.below;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
