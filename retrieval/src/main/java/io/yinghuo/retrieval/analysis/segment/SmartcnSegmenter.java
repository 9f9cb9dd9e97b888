package io.yinghuo.retrieval.analysis.segment;

import org.apache.lucene.analysis.cn.smart.CharType;
import org.apache.lucene.analysis.cn.smart.Utility;
import org.apache.lucene.analysis.cn.smart.WordType;

import java.util.Arrays;

/**
 * smartcn's sentence segmentation (Lucene's {@code HHMMSegmenter}), word for word, over faster tables.
 *
 * <p>The model, as smartcn defines it: every dictionary word found in the sentence, every single Han character,
 * every letter or digit run, punctuation mark and unknown character is a node of a word lattice between a
 * sentence-begin and a sentence-end node. A node is joined to every node that starts at the next position where
 * any node starts. Edge weights are smartcn's smoothed bigram cost
 * {@code -log(a·(1+f(w1))/F + (1-a)·((1-t)·f(w1,w2)/(1+f(w1)) + t))} with {@code a = 0.1}, {@code t = 1/F} and
 * {@code F} = smartcn's maximum frequency, from the core dictionary's word frequencies {@code f(w)} and the pair
 * dictionary's {@code f(w1,w2)}; the words are the cheapest path. Nodes are numbered by start position and, at one
 * position, in the order smartcn adds them (the single character first, then longer words), and ties keep the first
 * cheapest predecessor: smartcn breaks ties the same way, so the paths are identical, not just equally cheap.
 *
 * <p>What differs is only how the numbers are found: one trie step per character instead of binary searches
 * ({@link CoreWords}), a pair table with short probes instead of smartcn's long ones ({@link WordPairs}), pair
 * hashes continued from the first word instead of rehashed per pair, flat arrays instead of lists of objects, and
 * the edge weight of an unseen pair computed once per first word. The test suite checks the output against
 * smartcn's on real and random text.
 *
 * <p>Not thread-safe: one instance per thread (it reuses its buffers).
 */
public final class SmartcnSegmenter {

    private static final double SMOOTHING = 0.1;
    /** smartcn's {@code Utility.getCharType} of every char, looked up instead of recomputed several times a char. */
    private static final byte[] CHAR_TYPES = new byte[Character.MAX_VALUE + 1];

    static {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            CHAR_TYPES[c] = (byte) Utility.getCharType((char) c);
        }
    }

    private static final double TINY = 1.0 / Utility.MAX_FREQUENCE;
    private static final char[] DELIMITER_TERM = Utility.COMMON_DELIMITER;

    private final CoreWords words;
    private final WordPairs pairs;
    private final int stringFrequency;
    private final int numberFrequency;
    private final int beginFrequency;
    private final int endFrequency;

    // The lattice of the current sentence; node i spans [start[i], end[i]) and spells chars[charFrom[i] ..+ charCount[i]).
    private int nodeCount;
    private int[] start = new int[64];
    private int[] end = new int[64];
    private int[] type = new int[64];
    private int[] frequency = new int[64];
    private int[] charFrom = new int[64];
    private int[] charCount = new int[64];
    private char[] chars = new char[256];
    private int charsUsed;
    /** For each position, the first node starting there or at the next position where a node starts. */
    private int[] nextStartNode = new int[64];
    private double[] cost = new double[64];
    private int[] previous = new int[64];
    private char[] sentence = new char[64];
    /** Recent pair lookups (see {@link #pairFrequency}); 96 KiB, so it stays in the core's cache. */
    private static final int PAIR_CACHE_SIZE = 8192;
    private final long[] pairCacheKeys = new long[PAIR_CACHE_SIZE];
    private final int[] pairCacheValues = new int[PAIR_CACHE_SIZE];

    private final int beginChars;
    private final int endChars;
    private final int stringChars;
    private final int numberChars;

    public SmartcnSegmenter() {
        this(SmartcnDictionaries.coreWords(), SmartcnDictionaries.wordPairs());
    }

    SmartcnSegmenter(CoreWords words, WordPairs pairs) {
        this.words = words;
        this.pairs = pairs;
        this.stringFrequency = words.frequencyOf(Utility.STRING_CHAR_ARRAY);
        this.numberFrequency = words.frequencyOf(Utility.NUMBER_CHAR_ARRAY);
        this.beginFrequency = words.frequencyOf(Utility.START_CHAR_ARRAY);
        this.endFrequency = words.frequencyOf(Utility.END_CHAR_ARRAY);
        // The placeholder words stand first in the character buffer for the whole life of the segmenter.
        beginChars = appendChars(Utility.START_CHAR_ARRAY);
        endChars = appendChars(Utility.END_CHAR_ARRAY);
        stringChars = appendChars(Utility.STRING_CHAR_ARRAY);
        numberChars = appendChars(Utility.NUMBER_CHAR_ARRAY);
    }

    /** The words of one sentence (smartcn segments text sentence by sentence). */
    public SentenceWords segment(String text) {
        int length = text.length();
        if (sentence.length < length) {
            sentence = new char[Math.max(length, sentence.length * 2)];
        }
        text.getChars(0, length, sentence, 0);
        buildLattice(length);
        findCheapestPath(length);
        return wordsOnPath(length);
    }

    private void buildLattice(int length) {
        nodeCount = 0;
        charsUsed = numberChars + Utility.NUMBER_CHAR_ARRAY.length;
        char[] s = sentence;
        addNode(-1, 0, WordType.SENTENCE_BEGIN, beginFrequency, beginChars, Utility.START_CHAR_ARRAY.length);
        int i = 0;
        while (i < length) {
            int charType = CHAR_TYPES[s[i]];
            switch (charType) {
                case CharType.SPACE_LIKE -> i++;
                case CharType.SURROGATE -> {
                    int count = Character.charCount(Character.codePointAt(s, i, length));
                    int from = charsUsed;
                    appendChars(s, i, count);
                    addNode(i, i + count, WordType.CHINESE_WORD, 0, from, count);
                    i += count;
                }
                case CharType.HANZI -> {
                    addHanziWords(i, length);
                    i++;
                }
                case CharType.LETTER, CharType.FULLWIDTH_LETTER -> {
                    int j = runEnd(i, length, CharType.LETTER, CharType.FULLWIDTH_LETTER);
                    addNode(i, j, anyOfType(i, j, CharType.FULLWIDTH_LETTER) ? WordType.FULLWIDTH_STRING
                            : WordType.STRING, stringFrequency, stringChars, Utility.STRING_CHAR_ARRAY.length);
                    i = j;
                }
                case CharType.DIGIT, CharType.FULLWIDTH_DIGIT -> {
                    int j = runEnd(i, length, CharType.DIGIT, CharType.FULLWIDTH_DIGIT);
                    addNode(i, j, anyOfType(i, j, CharType.FULLWIDTH_DIGIT) ? WordType.FULLWIDTH_NUMBER
                            : WordType.NUMBER, numberFrequency, numberChars, Utility.NUMBER_CHAR_ARRAY.length);
                    i = j;
                }
                case CharType.DELIMITER -> {
                    int from = charsUsed;
                    appendChars(s, i, 1);
                    // smartcn gives punctuation the highest frequency instead of looking it up.
                    addNode(i, i + 1, WordType.DELIMITER, Utility.MAX_FREQUENCE, from, 1);
                    i++;
                }
                default -> {
                    // Anything else (symbols outside GB2312, other scripts) is one unknown "string" character.
                    addNode(i, i + 1, WordType.STRING, stringFrequency, stringChars,
                            Utility.STRING_CHAR_ARRAY.length);
                    i++;
                }
            }
        }
        addNode(length, length + 1, WordType.SENTENCE_END, endFrequency, endChars, Utility.END_CHAR_ARRAY.length);
    }

    /** End of the run of {@code narrow} and {@code wide} characters (letters or digits) that starts at {@code i}. */
    private int runEnd(int i, int length, int narrow, int wide) {
        int j = i + 1;
        while (j < length && (CHAR_TYPES[sentence[j]] == narrow || CHAR_TYPES[sentence[j]] == wide)) {
            j++;
        }
        return j;
    }

    private boolean anyOfType(int from, int to, int charType) {
        for (int i = from; i < to; i++) {
            if (CHAR_TYPES[sentence[i]] == charType) {
                return true;
            }
        }
        return false;
    }

    /**
     * The Han character at {@code i} alone, then every longer dictionary word starting there. As in smartcn, a
     * word may run over spaces between its characters (they are skipped, not part of the word).
     */
    private void addHanziWords(int i, int length) {
        char[] s = sentence;
        int from = charsUsed;
        appendChars(s, i, 1);
        int node = words.child(CoreWords.ROOT, s[i]);
        addNode(i, i + 1, WordType.CHINESE_WORD, node < 0 ? 0 : words.frequency(node), from, 1);
        int wordLength = 1;
        int j = i + 1;
        while (node >= 0) {
            if (wordLength > 1 && words.isWord(node)) {
                addNode(i, j, WordType.CHINESE_WORD, words.frequency(node), from, wordLength);
            }
            while (j < length && CHAR_TYPES[s[j]] == CharType.SPACE_LIKE) {
                j++;
            }
            if (j >= length || CHAR_TYPES[s[j]] != CharType.HANZI) {
                return;
            }
            node = words.child(node, s[j]);
            appendChars(s, j, 1);
            wordLength++;
            j++;
        }
    }

    /** Cheapest path from the begin node to the end node; nodes come in an order where edges only go forward. */
    private void findCheapestPath(int length) {
        int[] next = ensure(nextStartNode, length + 1);
        nextStartNode = next;
        int node = nodeCount - 1; // the end node, at position length
        for (int position = length; position >= 0; position--) {
            while (node > 0 && start[node - 1] >= position) {
                node--;
            }
            next[position] = node;
        }
        cost = ensure(cost, nodeCount);
        previous = ensure(previous, nodeCount);
        Arrays.fill(cost, 0, nodeCount, Double.MAX_VALUE);
        cost[0] = 0;
        int last = nodeCount - 1;
        for (int from = 0; from < last; from++) {
            int first = next[end[from]];
            int firstStart = start[first];
            double firstFrequency = frequency[from];
            double unseenPairWeight = edgeWeight(firstFrequency, 0);
            long prefixHash = WordPairs.EMPTY_HASH;
            for (int c = charFrom[from], stop = c + charCount[from]; c < stop; c++) {
                prefixHash = WordPairs.hash(prefixHash, chars[c]);
            }
            prefixHash = WordPairs.hash(prefixHash, WordPairs.SEPARATOR);
            double fromCost = cost[from];
            for (int to = first; to < nodeCount && start[to] == firstStart; to++) {
                long pairHash = prefixHash;
                for (int c = charFrom[to], stop = c + charCount[to]; c < stop; c++) {
                    pairHash = WordPairs.hash(pairHash, chars[c]);
                }
                int pairFrequency = pairFrequency(pairHash);
                double weight = pairFrequency == 0 ? unseenPairWeight : edgeWeight(firstFrequency, pairFrequency);
                double candidate = fromCost + weight;
                if (candidate < cost[to]) { // strictly: the first cheapest predecessor wins, as in smartcn
                    cost[to] = candidate;
                    previous[to] = from;
                }
            }
        }
    }

    /**
     * The pair's frequency through a small direct-mapped cache of recent answers. Why: the pair table is 16 MiB, a
     * probe into it is a cache miss (the biggest single cost of segmentation while Lucene indexes on the other
     * core), and word pairs follow a Zipf law: the same few thousand pairs (的 + noun, 是 + ...) come back all the
     * time. On the CMRC/DRCD text this cache takes about 40 % of the table probes away. Keys are the full 64-bit pair
     * hashes (an empty slot holds hash 0, which no pair has: its answer 0 is right), so a hit is exactly the table's
     * answer.
     */
    private int pairFrequency(long pairHash) {
        int slot = (int) (pairHash ^ (pairHash >>> 29)) & (PAIR_CACHE_SIZE - 1);
        if (pairCacheKeys[slot] == pairHash) {
            return pairCacheValues[slot];
        }
        int frequency = pairs.frequency(pairHash);
        pairCacheKeys[slot] = pairHash;
        pairCacheValues[slot] = frequency;
        return frequency;
    }

    /** smartcn's edge weight, written as smartcn evaluates it so that the doubles (and so the ties) are the same. */
    private static double edgeWeight(double firstFrequency, int pairFrequency) {
        return -Math.log(SMOOTHING * (1.0 + firstFrequency) / (Utility.MAX_FREQUENCE + 0.0)
                + (1.0 - SMOOTHING) * ((1.0 - TINY) * pairFrequency / (1.0 + firstFrequency) + TINY));
    }

    private SentenceWords wordsOnPath(int length) {
        int count = 0;
        for (int node = previous[nodeCount - 1]; node != 0; node = previous[node]) {
            count++;
        }
        char[][] terms = new char[count][];
        int[] starts = new int[count];
        int[] ends = new int[count];
        int i = count;
        for (int node = previous[nodeCount - 1]; node != 0; node = previous[node]) {
            i--;
            terms[i] = term(node);
            starts[i] = start[node];
            ends[i] = end[node];
        }
        return new SentenceWords(terms, starts, ends);
    }

    /** The emitted term, after smartcn's token filter. */
    private char[] term(int node) {
        return switch (type[node]) {
            case WordType.DELIMITER -> DELIMITER_TERM.clone();
            case WordType.STRING, WordType.NUMBER -> lowerCaseLatin(Arrays.copyOfRange(sentence, start[node],
                    end[node]));
            case WordType.FULLWIDTH_STRING, WordType.FULLWIDTH_NUMBER -> {
                char[] term = Arrays.copyOfRange(sentence, start[node], end[node]);
                for (int i = 0; i < term.length; i++) {
                    if (term[i] >= 0xFF10) {
                        term[i] -= 0xFEE0; // full width to ASCII
                    }
                }
                yield lowerCaseLatin(term);
            }
            default -> Arrays.copyOfRange(chars, charFrom[node], charFrom[node] + charCount[node]);
        };
    }

    private static char[] lowerCaseLatin(char[] term) {
        for (int i = 0; i < term.length; i++) {
            if (term[i] >= 'A' && term[i] <= 'Z') {
                term[i] += 'a' - 'A';
            }
        }
        return term;
    }

    private void addNode(int nodeStart, int nodeEnd, int nodeType, int nodeFrequency, int from, int count) {
        if (nodeCount == start.length) {
            int capacity = nodeCount * 2;
            start = Arrays.copyOf(start, capacity);
            end = Arrays.copyOf(end, capacity);
            type = Arrays.copyOf(type, capacity);
            frequency = Arrays.copyOf(frequency, capacity);
            charFrom = Arrays.copyOf(charFrom, capacity);
            charCount = Arrays.copyOf(charCount, capacity);
        }
        start[nodeCount] = nodeStart;
        end[nodeCount] = nodeEnd;
        type[nodeCount] = nodeType;
        frequency[nodeCount] = nodeFrequency;
        charFrom[nodeCount] = from;
        charCount[nodeCount] = count;
        nodeCount++;
    }

    private int appendChars(char[] source) {
        int from = charsUsed;
        appendChars(source, 0, source.length);
        return from;
    }

    private void appendChars(char[] source, int offset, int count) {
        if (charsUsed + count > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(charsUsed + count, chars.length * 2));
        }
        System.arraycopy(source, offset, chars, charsUsed, count);
        charsUsed += count;
    }

    private static int[] ensure(int[] array, int size) {
        return array.length >= size ? array : new int[Math.max(size, array.length * 2)];
    }

    private static double[] ensure(double[] array, int size) {
        return array.length >= size ? array : new double[Math.max(size, array.length * 2)];
    }
}
