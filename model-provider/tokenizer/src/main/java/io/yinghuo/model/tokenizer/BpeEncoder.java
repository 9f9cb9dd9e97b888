package io.yinghuo.model.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Text to ids exactly as {@code spm_encode} v0.1.97 does for a BPE model (sentencepiece src/bpe_model.cc
 * {@code Model::SampleEncode} with alpha 0 and src/sentencepiece_processor.cc {@code PopulateSentencePieceText}):
 * <ol>
 *   <li>normalize ({@link SpmNormalizer});</li>
 *   <li>one symbol per code point, USER_DEFINED pieces taken whole and frozen;</li>
 *   <li>repeatedly merge the adjacent pair whose concatenation is a NORMAL/USER_DEFINED/UNUSED piece with the highest
 *       score, the leftmost pair on ties (a max-heap of candidate pairs over a doubly linked list of symbols, with
 *       stale candidates skipped when popped: O(n log n));</li>
 *   <li>UNUSED pieces are split back into the two parts they were last merged from;</li>
 *   <li>a symbol that is no piece becomes one {@code <0xXX>} per UTF-8 byte with byte_fallback, else {@code <unk>}
 *       (consecutive unknowns collapse into one, as spm does).</li>
 * </ol>
 * Instances are immutable and thread-safe; each call works on its own arrays.
 */
final class BpeEncoder {
    private final PieceVocabulary vocab;
    private final SpmNormalizer normalizer;
    private final UserDefinedMatcher userDefined;

    BpeEncoder(PieceVocabulary vocab) {
        this.vocab = vocab;
        this.userDefined = vocab.userDefined.isEmpty()
                ? UserDefinedMatcher.EMPTY : new UserDefinedMatcher(vocab.userDefined);
        this.normalizer = new SpmNormalizer(vocab.normalizer, userDefined);
    }

    /** Appends the ids of {@code text} to {@code out}. */
    void encode(CharSequence text, IntArray out) {
        int[] lengthOut = new int[1];
        char[] normalized = normalizer.normalize(text, lengthOut);
        int length = lengthOut[0];
        if (length > 0) {
            new Run(normalized, length).encodeInto(out);
        }
    }

    /** The state of one encode call. */
    private final class Run {
        private final char[] text;
        // Symbols: a doubly linked list over contiguous ranges of text. A merged-away symbol has length 0.
        private final int[] start;
        private final int[] length;
        private final int[] prev;
        private final int[] next;
        private final int[] pieceId; // mergeable piece the symbol became by merging, -1 while unmerged
        private final boolean[] frozen;
        private final int symbolCount;

        // Candidate pairs ("agenda"): parallel arrays indexed by candidate, and a binary max-heap of candidate indices.
        private final int[] pairLeft;
        private final int[] pairRight;
        private final int[] pairLength;
        private final int[] pairPiece;
        private final float[] pairScore;
        private int pairCount;
        private final int[] heap;
        private int heapSize;

        /** UNUSED piece id -> length of the left part it was (last) merged from (spm's rev_merge). */
        private Map<Integer, Integer> unusedSplits;

        Run(char[] text, int textLength) {
            this.text = text;
            start = new int[textLength];
            length = new int[textLength];
            frozen = userDefined.isEmpty() ? null : new boolean[textLength];
            CharSequence view = frozen == null ? null : java.nio.CharBuffer.wrap(text);
            int count = 0;
            for (int i = 0; i < textLength; count++) {
                int symbolLength = frozen == null ? 0 : userDefined.match(view, i, textLength);
                if (symbolLength > 0) {
                    frozen[count] = true;
                } else {
                    symbolLength = Character.isHighSurrogate(text[i]) && i + 1 < textLength
                            && Character.isLowSurrogate(text[i + 1]) ? 2 : 1;
                }
                start[count] = i;
                length[count] = symbolLength;
                i += symbolLength;
            }
            symbolCount = count;
            prev = new int[count];
            next = new int[count];
            pieceId = new int[count];
            for (int s = 0; s < count; s++) {
                prev[s] = s - 1;
                next[s] = s + 1 < count ? s + 1 : -1;
            }
            Arrays.fill(pieceId, -1);
            // Every merge adds at most two candidates to the initial count - 1, so this never needs to grow.
            int capacity = Math.max(4, 3 * count);
            pairLeft = new int[capacity];
            pairRight = new int[capacity];
            pairLength = new int[capacity];
            pairPiece = new int[capacity];
            pairScore = new float[capacity];
            heap = new int[capacity];
        }

        void encodeInto(IntArray out) {
            for (int s = 1; s < symbolCount; s++) {
                maybeAddPair(s - 1, s);
            }
            while (heapSize > 0) {
                int top = pop();
                int left = pairLeft[top];
                int right = pairRight[top];
                // Stale: one side was merged away, or the right side grew since this candidate was found.
                if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != pairLength[top]) {
                    continue;
                }
                length[left] += length[right];
                pieceId[left] = pairPiece[top];
                next[left] = next[right];
                if (next[right] >= 0) {
                    prev[next[right]] = left;
                }
                length[right] = 0;
                maybeAddPair(prev[left], left);
                maybeAddPair(left, next[left]);
            }
            boolean previousUnknown = false;
            for (int s = 0; s >= 0; s = next[s]) {
                previousUnknown = emitSymbol(start[s], length[s], pieceId[s], previousUnknown, out);
            }
        }

        private void maybeAddPair(int left, int right) {
            if (left < 0 || right < 0 || (frozen != null && (frozen[left] || frozen[right]))) {
                return;
            }
            int merged = length[left] + length[right];
            int id = vocab.mergeable.find(text, start[left], merged);
            if (id < 0) {
                return;
            }
            int pair = pairCount++;
            pairLeft[pair] = left;
            pairRight[pair] = right;
            pairLength[pair] = merged;
            pairPiece[pair] = id;
            pairScore[pair] = vocab.scores[id];
            push(pair);
            if (vocab.types[id] == PieceType.UNUSED) {
                if (unusedSplits == null) {
                    unusedSplits = new HashMap<>();
                }
                unusedSplits.put(id, length[left]);
            }
        }

        /** Emits one final symbol; returns whether it was unknown. */
        private boolean emitSymbol(int from, int len, int mergedId, boolean previousUnknown, IntArray out) {
            // A merged symbol is a mergeable piece; spm still maps its string through PieceToId (reserved first).
            int id = mergedId >= 0 ? vocab.canonicalIds[mergedId] : vocab.pieceToId(text, from, len);
            if (vocab.types[id] == PieceType.UNUSED && unusedSplits != null) {
                Integer split = unusedSplits.get(id);
                if (split != null) {
                    boolean unknown = emitSymbol(from, split, -1, previousUnknown, out);
                    return emitSymbol(from + split, len - split, -1, unknown, out);
                }
            }
            if (id != vocab.unkId) {
                out.add(id);
                return false;
            }
            if (vocab.byteFallback) {
                appendUtf8ByteIds(from, len, out);
            } else if (!previousUnknown) {
                out.add(id);
            }
            return true;
        }

        private void appendUtf8ByteIds(int from, int len, IntArray out) {
            int[] byteIds = vocab.byteIds;
            for (int i = from, end = from + len; i < end; ) {
                int cp = Character.codePointAt(text, i, end);
                i += Character.charCount(cp);
                if (cp < 0x80) {
                    out.add(byteIds[cp]);
                } else if (cp < 0x800) {
                    out.add(byteIds[0xC0 | cp >>> 6]);
                    out.add(byteIds[0x80 | cp & 0x3F]);
                } else if (cp < 0x10000) {
                    out.add(byteIds[0xE0 | cp >>> 12]);
                    out.add(byteIds[0x80 | cp >>> 6 & 0x3F]);
                    out.add(byteIds[0x80 | cp & 0x3F]);
                } else {
                    out.add(byteIds[0xF0 | cp >>> 18]);
                    out.add(byteIds[0x80 | cp >>> 12 & 0x3F]);
                    out.add(byteIds[0x80 | cp >>> 6 & 0x3F]);
                    out.add(byteIds[0x80 | cp & 0x3F]);
                }
            }
        }

        /** Higher score first; on equal scores the pair further left (spm's SymbolPairComparator). */
        private boolean before(int a, int b) {
            float sa = pairScore[a];
            float sb = pairScore[b];
            return sa > sb || (sa == sb && pairLeft[a] < pairLeft[b]);
        }

        private void push(int pair) {
            int i = heapSize++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!before(pair, heap[parent])) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = pair;
        }

        private int pop() {
            int top = heap[0];
            int last = heap[--heapSize];
            int i = 0;
            int half = heapSize >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < heapSize && before(heap[right], heap[child])) {
                    child = right;
                }
                if (!before(heap[child], last)) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
            return top;
        }
    }
}
