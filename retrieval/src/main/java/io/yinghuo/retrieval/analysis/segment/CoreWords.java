package io.yinghuo.retrieval.analysis.segment;

import java.util.Arrays;

/**
 * smartcn's core word dictionary as a character trie: which character sequences start a dictionary word, and the
 * frequency of each word.
 *
 * <p>Why a trie: smartcn answers "does a word start with these characters?" and "how frequent is this word?" with a
 * hash probe for the first character and then binary searches over that character's sorted word tails, once per
 * character a candidate word grows. Walking one trie edge per character gives the same answers in constant time.
 * Edges live in one {@link LongIntTable} keyed by (node, character).
 */
final class CoreWords {

    static final int ROOT = 0;
    private static final int NOT_A_WORD = -1;

    /** smartcn's Han range (its {@code CharType.HANZI}): every word starts with one of these or is a placeholder. */
    private static final char FIRST_HAN = 0x4E00;
    private static final char LAST_HAN = 0x9FA5;

    private final LongIntTable edges;
    /** The root's children for Han characters, in a plain array: the first step of every lookup (-1: none). */
    private final int[] hanRoots;
    /** Per node: the frequency of the word its path spells, or {@link #NOT_A_WORD} when it is only a prefix. */
    private final int[] frequencies;

    private CoreWords(LongIntTable edges, int[] frequencies) {
        this.edges = edges;
        this.frequencies = frequencies;
        this.hanRoots = new int[LAST_HAN - FIRST_HAN + 1];
        for (char c = FIRST_HAN; c <= LAST_HAN; c++) {
            hanRoots[c - FIRST_HAN] = edges.get(c, -1);
        }
    }

    /** The node reached from {@code node} by {@code c}, or -1 when no dictionary word continues that way. */
    int child(int node, char c) {
        if (node == ROOT && c >= FIRST_HAN && c <= LAST_HAN) {
            return hanRoots[c - FIRST_HAN];
        }
        return edges.get(((long) node << 16) | c, -1);
    }

    /** Whether the characters leading to {@code node} form a dictionary word. */
    boolean isWord(int node) {
        return frequencies[node] != NOT_A_WORD;
    }

    /** The frequency of the word leading to {@code node}; 0 when they are not a word, as smartcn answers. */
    int frequency(int node) {
        return Math.max(0, frequencies[node]);
    }

    /** smartcn's frequency of a whole word (0 when absent). */
    int frequencyOf(char[] word) {
        int node = ROOT;
        for (char c : word) {
            node = child(node, c);
            if (node < 0) {
                return 0;
            }
        }
        return node == ROOT ? 0 : frequency(node);
    }

    int nodeCount() {
        return frequencies.length;
    }

    /**
     * From smartcn's layout: an open-addressing table of first characters ({@code charSlots}, 0 = empty) whose
     * {@code rowOfSlot} names the row of that character; each row lists the words starting with it as their tails
     * after the first character (null or empty: the character alone), in ascending order, with frequencies.
     */
    static CoreWords build(short[] rowOfSlot, char[] charSlots, char[][][] tailRows, int[][] frequencyRows) {
        if (rowOfSlot.length != charSlots.length || tailRows.length != frequencyRows.length) {
            throw new IllegalStateException("smartcn core dictionary: tables of different lengths");
        }
        int maxEdges = 0;
        for (int slot = 0; slot < charSlots.length; slot++) {
            char[][] tails = charSlots[slot] == 0 ? null : tailRows[rowOfSlot[slot]];
            if (tails != null) {
                maxEdges++;
                for (char[] tail : tails) {
                    maxEdges += tail == null ? 0 : tail.length;
                }
            }
        }
        LongIntTable edges = new LongIntTable(maxEdges);
        int[] frequencies = new int[maxEdges + 1];
        Arrays.fill(frequencies, NOT_A_WORD);
        int nodes = 1;
        for (int slot = 0; slot < charSlots.length; slot++) {
            char first = charSlots[slot];
            if (first == 0 || tailRows[rowOfSlot[slot]] == null) {
                continue; // smartcn finds no row for this character either
            }
            char[][] tails = tailRows[rowOfSlot[slot]];
            int[] rowFrequencies = frequencyRows[rowOfSlot[slot]];
            if (rowFrequencies == null || rowFrequencies.length != tails.length) {
                throw new IllegalStateException("smartcn core dictionary: row of '" + first
                        + "' has words and frequencies of different lengths");
            }
            int firstNode = edges.putIfAbsent((long) ROOT << 16 | first, nodes);
            if (firstNode != nodes) {
                throw new IllegalStateException("smartcn core dictionary: character '" + first + "' appears twice");
            }
            nodes++;
            char[] previous = null;
            for (int i = 0; i < tails.length; i++) {
                char[] tail = tails[i] == null ? new char[0] : tails[i];
                // smartcn binary-searches each row: only strictly ascending rows give one answer per word.
                if (previous != null && Arrays.compare(previous, tail) >= 0) {
                    throw new IllegalStateException("smartcn core dictionary: row of '" + first
                            + "' is not in strictly ascending order at word " + i);
                }
                previous = tail;
                int node = firstNode;
                for (char c : tail) {
                    int next = edges.putIfAbsent((long) node << 16 | c, nodes);
                    if (next == nodes) {
                        nodes++;
                    }
                    node = next;
                }
                if (rowFrequencies[i] < 0) {
                    throw new IllegalStateException("smartcn core dictionary: negative frequency in row of '"
                            + first + "'");
                }
                frequencies[node] = rowFrequencies[i];
            }
        }
        return new CoreWords(edges, Arrays.copyOf(frequencies, nodes));
    }
}
