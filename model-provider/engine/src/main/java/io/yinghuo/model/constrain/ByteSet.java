package io.yinghuo.model.constrain;

import java.util.Arrays;

/** An immutable set of byte values 0..255, four 64-bit words wide: the terminal symbols of a byte-level grammar. */
final class ByteSet {

    static final ByteSet EMPTY = new ByteSet(new long[4]);

    private final long[] words;

    private ByteSet(long[] words) {
        this.words = words;
    }

    static ByteSet of(int... bytes) {
        long[] w = new long[4];
        for (int b : bytes) {
            w[(b & 0xFF) >>> 6] |= 1L << (b & 63);
        }
        return new ByteSet(w);
    }

    static ByteSet range(int from, int toInclusive) {
        long[] w = new long[4];
        for (int b = from; b <= toInclusive; b++) {
            w[b >>> 6] |= 1L << (b & 63);
        }
        return new ByteSet(w);
    }

    static ByteSet ofChars(String asciiChars) {
        long[] w = new long[4];
        for (int i = 0; i < asciiChars.length(); i++) {
            int b = asciiChars.charAt(i);
            if (b > 0x7F) {
                throw new IllegalArgumentException("not ASCII: " + asciiChars);
            }
            w[b >>> 6] |= 1L << (b & 63);
        }
        return new ByteSet(w);
    }

    ByteSet union(ByteSet other) {
        long[] w = new long[4];
        for (int i = 0; i < 4; i++) {
            w[i] = words[i] | other.words[i];
        }
        return new ByteSet(w);
    }

    boolean contains(int b) {
        return (words[b >>> 6] & (1L << (b & 63))) != 0;
    }

    /** ORs this set into a four-word accumulator. */
    void addTo(long[] accumulator) {
        accumulator[0] |= words[0];
        accumulator[1] |= words[1];
        accumulator[2] |= words[2];
        accumulator[3] |= words[3];
    }

    boolean isEmpty() {
        return (words[0] | words[1] | words[2] | words[3]) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteSet other && Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        for (int b = 0; b < 256; b++) {
            if (contains(b)) {
                s.append(b >= 0x21 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02X", b));
            }
        }
        return s.append(']').toString();
    }
}
