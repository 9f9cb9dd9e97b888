package io.yinghuo.retrieval.analysis.segment;

/**
 * smartcn's word-pair (bigram) frequencies. The dictionary keeps no words, only a 64-bit hash of
 * {@code first + '@' + second} (smartcn's {@code AbstractDictionary.hash1} over a char array: FNV-1 with each
 * character fed low byte first, then high byte), so lookups hash the pair the same way.
 *
 * <p>Why not smartcn's own table: it probes with a second hash that is almost always below 300, so misses walk long
 * clusters of a table that is 82 % full; with every neighbouring word pair of every sentence looked up, that probing
 * was a quarter of all ingestion time. This table holds the same hash to frequency entries at most half full with
 * well-mixed linear probing. A pair is found exactly when smartcn finds it (both compare the full 64-bit hash).
 */
final class WordPairs {

    /** FNV-1 64-bit offset basis and prime, as smartcn uses them. */
    static final long EMPTY_HASH = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 1099511628211L;
    /** What smartcn puts between the two words of a pair. */
    static final char SEPARATOR = '@';

    /** Bits of the presence filter (512 KiB: small enough to stay in a core's cache, unlike the table). */
    private static final int FILTER_BITS_LOG2 = 22;

    private final LongIntTable frequencies;
    /**
     * One bit per filter slot, set for the slot of every pair in the table. Most neighbouring words are no pair
     * of the dictionary; a clear bit answers that without touching the 12 MiB table (no false negatives).
     */
    private final long[] filter = new long[1 << (FILTER_BITS_LOG2 - 6)];

    private WordPairs(LongIntTable frequencies) {
        this.frequencies = frequencies;
    }

    private static int filterSlot(long pairHash) {
        return (int) ((pairHash * 0x9E3779B97F4A7C15L) >>> (64 - FILTER_BITS_LOG2));
    }

    /** The pair hash after one more character. */
    static long hash(long hash, char c) {
        hash = (hash ^ (c & 0xFF)) * FNV_PRIME;
        return (hash ^ (c >> 8)) * FNV_PRIME;
    }

    /** The frequency of the pair whose hash this is, 0 for pairs the dictionary does not have. */
    int frequency(long pairHash) {
        int slot = filterSlot(pairHash);
        if ((filter[slot >>> 6] & (1L << slot)) == 0) {
            return 0;
        }
        return frequencies.get(pairHash, 0);
    }

    int size() {
        return frequencies.size();
    }

    /** From smartcn's table: slot hashes (0 = empty slot) and the frequency in the same slot. */
    static WordPairs build(long[] slotHashes, int[] slotFrequencies) {
        if (slotHashes.length != slotFrequencies.length) {
            throw new IllegalStateException("smartcn pair dictionary: " + slotHashes.length + " hashes but "
                    + slotFrequencies.length + " frequencies");
        }
        int entries = 0;
        for (long hash : slotHashes) {
            if (hash != 0) {
                entries++;
            }
        }
        LongIntTable table = new LongIntTable(entries);
        for (int slot = 0; slot < slotHashes.length; slot++) {
            long hash = slotHashes[slot];
            if (hash == 0) {
                continue;
            }
            int before = table.size();
            table.putIfAbsent(hash, slotFrequencies[slot]);
            if (table.size() == before) {
                throw new IllegalStateException("smartcn pair dictionary holds hash " + hash + " twice");
            }
        }
        WordPairs pairs = new WordPairs(table);
        for (long hash : slotHashes) {
            if (hash != 0) {
                int slot = filterSlot(hash);
                pairs.filter[slot >>> 6] |= 1L << slot;
            }
        }
        return pairs;
    }
}
