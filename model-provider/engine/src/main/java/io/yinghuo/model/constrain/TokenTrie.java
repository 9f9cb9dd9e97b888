package io.yinghuo.model.constrain;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The byte strings of a vocabulary in a prefix tree, flattened into arrays in preorder, so that the mask walk shares
 * the work for common prefixes and drops every token under a byte the grammar rejects at once (the token-trie
 * approach of llama.cpp's grammar sampler and of XGrammar/Outlines). Immutable and thread-safe.
 *
 * <p>Node 0 is the root (the empty prefix). The children of a node are linked through {@link #nextSibling} in
 * ascending byte order; the ids of the tokens whose bytes end exactly at a node are
 * {@code tokenIds[tokenStart[node] .. tokenStart[node] + tokenCount[node])}.
 */
final class TokenTrie {

    static final int NONE = -1;

    private final byte[] label;
    private final int[] firstChild;
    private final int[] nextSibling;
    private final int[] tokenStart;
    private final int[] tokenCount;
    private final int[] tokenIds;
    private final int maxDepth;

    /** @param tokenBytes per token id its bytes, or null for a token that is never allowed by the walk */
    TokenTrie(byte[][] tokenBytes) {
        Integer[] order = IntStream.range(0, tokenBytes.length)
                .filter(id -> tokenBytes[id] != null && tokenBytes[id].length > 0)
                .boxed().toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(tokenBytes[a], tokenBytes[b]));
        tokenIds = new int[order.length];

        int capacity = 1024;
        byte[] labels = new byte[capacity];
        int[] first = new int[capacity];
        int[] next = new int[capacity];
        int[] start = new int[capacity];
        int[] count = new int[capacity];
        int nodes = 1;
        first[0] = NONE;
        next[0] = NONE;
        int[] pathNode = new int[16];
        int[] lastChild = new int[16];
        lastChild[0] = NONE;
        byte[] previous = new byte[0];
        int depthLimit = 0;
        for (int i = 0; i < order.length; i++) {
            byte[] bytes = tokenBytes[order[i]];
            tokenIds[i] = order[i];
            int common = Arrays.mismatch(previous, bytes);
            if (common < 0) {
                common = bytes.length; // the same bytes as the previous token
            }
            if (bytes.length + 1 > pathNode.length) {
                pathNode = Arrays.copyOf(pathNode, bytes.length * 2 + 2);
                lastChild = Arrays.copyOf(lastChild, bytes.length * 2 + 2);
            }
            for (int d = common; d < bytes.length; d++) {
                if (nodes == capacity) {
                    capacity *= 2;
                    labels = Arrays.copyOf(labels, capacity);
                    first = Arrays.copyOf(first, capacity);
                    next = Arrays.copyOf(next, capacity);
                    start = Arrays.copyOf(start, capacity);
                    count = Arrays.copyOf(count, capacity);
                }
                int node = nodes++;
                int parent = pathNode[d];
                labels[node] = bytes[d];
                first[node] = NONE;
                next[node] = NONE;
                if (lastChild[d] == NONE) {
                    first[parent] = node;
                } else {
                    next[lastChild[d]] = node;
                }
                lastChild[d] = node;
                pathNode[d + 1] = node;
                lastChild[d + 1] = NONE;
            }
            int end = pathNode[bytes.length];
            if (count[end] == 0) {
                start[end] = i;
            }
            count[end]++;
            previous = bytes;
            depthLimit = Math.max(depthLimit, bytes.length);
        }
        label = Arrays.copyOf(labels, nodes);
        firstChild = Arrays.copyOf(first, nodes);
        nextSibling = Arrays.copyOf(next, nodes);
        tokenStart = Arrays.copyOf(start, nodes);
        tokenCount = Arrays.copyOf(count, nodes);
        maxDepth = depthLimit;
    }

    int nodeCount() {
        return label.length;
    }

    /** The longest token, in bytes (the deepest the walk goes). */
    int maxDepth() {
        return maxDepth;
    }

    int label(int node) {
        return label[node] & 0xFF;
    }

    int firstChild(int node) {
        return firstChild[node];
    }

    int nextSibling(int node) {
        return nextSibling[node];
    }

    /** Sets the bit of every token that ends at {@code node}. */
    void markTokensAt(int node, long[] mask) {
        int from = tokenStart[node];
        for (int i = from, end = from + tokenCount[node]; i < end; i++) {
            int id = tokenIds[i];
            mask[id >>> 6] |= 1L << (id & 63);
        }
    }
}
