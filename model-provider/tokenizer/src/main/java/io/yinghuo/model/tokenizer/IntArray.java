package io.yinghuo.model.tokenizer;

import java.util.Arrays;

/** A growable list of primitive ints (token ids), to avoid boxing in the encoder. */
final class IntArray {
    private int[] values;
    private int size;

    IntArray(int initialCapacity) {
        values = new int[Math.max(4, initialCapacity)];
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size + (size >> 1) + 1);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
