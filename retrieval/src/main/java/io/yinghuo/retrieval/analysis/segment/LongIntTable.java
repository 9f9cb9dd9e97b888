package io.yinghuo.retrieval.analysis.segment;

/**
 * A fixed-capacity open-addressing map from non-zero {@code long} keys to {@code int} values, at most half full,
 * with linear probing over a mixed hash. Why not a {@code HashMap<Long, Integer>}: the segmenter looks keys up
 * millions of times per megabyte of text, and boxing plus pointer chasing would cost more than the lookup itself.
 * A key and its value sit side by side in one array, so a lookup costs one cache miss, not two: the tables are
 * megabytes large and, during ingestion, share the cache with Lucene's indexing.
 */
final class LongIntTable {

    /** Slot {@code i}: key at {@code 2i}, value at {@code 2i + 1}. */
    private final long[] entries;
    private final int mask;
    private int size;

    /** A table that holds up to {@code capacity} keys. */
    LongIntTable(int capacity) {
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        entries = new long[2 * slots];
        mask = slots - 1;
    }

    /**
     * Stores {@code value} under {@code key} unless the key is present. Returns the value now stored under the key.
     */
    int putIfAbsent(long key, int value) {
        if (key == 0) {
            throw new IllegalArgumentException("key 0 marks an empty slot");
        }
        int slot = slot(key);
        while (entries[2 * slot] != 0) {
            if (entries[2 * slot] == key) {
                return (int) entries[2 * slot + 1];
            }
            slot = (slot + 1) & mask;
        }
        if (2 * (size + 1) > mask + 1) {
            throw new IllegalStateException("table full: " + size + " keys");
        }
        entries[2 * slot] = key;
        entries[2 * slot + 1] = value;
        size++;
        return value;
    }

    /** The value under {@code key}, or {@code absent}. */
    int get(long key, int absent) {
        int slot = slot(key);
        long k;
        while ((k = entries[2 * slot]) != 0) {
            if (k == key) {
                return (int) entries[2 * slot + 1];
            }
            slot = (slot + 1) & mask;
        }
        return absent;
    }

    int size() {
        return size;
    }

    /** murmur3's 64-bit finalizer: every key bit reaches the low bits that pick the slot. */
    private int slot(long key) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
