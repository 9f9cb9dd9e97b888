package io.yinghuo.model.tokenizer;

/**
 * String-to-id map that looks keys up by a range of a {@code char[]} without building a String: the BPE inner loop
 * asks "is text[start, start+len) a piece?" for every candidate pair, and allocating there dominated encode time.
 * Open addressing with linear probing; the table is filled once and then only read (safe to share across threads).
 */
final class PieceTable {
    private final int[] slots; // id + 1, 0 = empty
    private final int mask;
    private final char[][] keys; // by id
    private int maxLength;

    PieceTable(int idCapacity, int expectedEntries) {
        int size = Integer.highestOneBit(Math.max(16, expectedEntries * 2 - 1)) << 1;
        this.slots = new int[size];
        this.mask = size - 1;
        this.keys = new char[idCapacity][];
    }

    /** Adds {@code key -> id}; returns -1, or the id already stored under an equal key (then nothing changes). */
    int putIfAbsent(String key, int id) {
        char[] chars = key.toCharArray();
        int slot = hash(chars, 0, chars.length) & mask;
        while (slots[slot] != 0) {
            int existing = slots[slot] - 1;
            if (equal(keys[existing], chars, 0, chars.length)) {
                return existing;
            }
            slot = (slot + 1) & mask;
        }
        slots[slot] = id + 1;
        keys[id] = chars;
        maxLength = Math.max(maxLength, chars.length);
        return -1;
    }

    /** The id of the key equal to {@code text[start, start+length)}, or -1. */
    int find(char[] text, int start, int length) {
        if (length > maxLength) {
            return -1;
        }
        int slot = hash(text, start, length) & mask;
        int entry;
        while ((entry = slots[slot]) != 0) {
            if (equal(keys[entry - 1], text, start, length)) {
                return entry - 1;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    int find(String key) {
        char[] chars = key.toCharArray();
        return find(chars, 0, chars.length);
    }

    /** Length in chars of the longest key (candidates longer than this are rejected without hashing). */
    int maxLength() {
        return maxLength;
    }

    private static int hash(char[] text, int start, int length) {
        int h = 0;
        for (int i = start, end = start + length; i < end; i++) {
            h = 31 * h + text[i];
        }
        h *= 0x9E3779B9; // spread the low bits, which pick the slot
        return h ^ (h >>> 15);
    }

    private static boolean equal(char[] key, char[] text, int start, int length) {
        if (key.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (key[i] != text[start + i]) {
                return false;
            }
        }
        return true;
    }
}
