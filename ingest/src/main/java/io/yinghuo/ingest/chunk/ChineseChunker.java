package io.yinghuo.ingest.chunk;

import io.yinghuo.ingest.parse.ParsedDocument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a {@link ParsedDocument} into retrievable chunks the way a Chinese reader would:
 * <ol>
 *   <li>page and section boundaries are never crossed (a chunk has one page and one heading path);</li>
 *   <li>inside them, text splits into paragraphs (line breaks) and sentences ({@link SentenceSplitter});</li>
 *   <li>whole sentences are packed up to {@link ChunkerConfig#targetTokens()}; the next chunk starts with as many
 *       whole trailing sentences of the previous one as fit in {@link ChunkerConfig#overlapTokens()};</li>
 *   <li>only a sentence longer than {@link ChunkerConfig#maxTokens()} is cut: at ，、,；;：: first, then at spaces,
 *       finally anywhere (never inside a surrogate pair), into pieces of at most the target.</li>
 * </ol>
 * Every chunk's text is exactly {@code document.text().substring(start, end)}, trimmed of surrounding whitespace;
 * every non-whitespace character of the document lies in some chunk. Immutable and thread-safe.
 */
public final class ChineseChunker {

    private final ChunkerConfig config;
    private final TokenCounter counter;

    public ChineseChunker(ChunkerConfig config, TokenCounter counter) {
        this.config = Objects.requireNonNull(config, "config");
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    /** Default sizes with the fast estimator. */
    public ChineseChunker() {
        this(ChunkerConfig.defaults(), TokenCounter.estimator());
    }

    public ChunkerConfig config() {
        return config;
    }

    public TokenCounter counter() {
        return counter;
    }

    public List<Chunk> chunk(ParsedDocument document) {
        String text = document.text();
        int[] boundaries = boundaries(document);
        List<Chunk> chunks = new ArrayList<>();
        Units units = new Units();
        for (int b = 0; b + 1 < boundaries.length; b++) {
            int from = boundaries[b];
            int to = boundaries[b + 1];
            if (from >= to) {
                continue;
            }
            units.clear();
            int[] sentences = SentenceSplitter.split(text, from, to);
            for (int s = 0; s < sentences.length; s += 2) {
                addSentence(text, sentences[s], sentences[s + 1], units);
            }
            pack(document, units, chunks);
        }
        return chunks;
    }

    /** Sorted distinct offsets where pages and sections start or end, plus 0 and the text's length. */
    private static int[] boundaries(ParsedDocument document) {
        int length = document.text().length();
        int[] points = new int[2 + 2 * document.pages().size() + 2 * document.sections().size()];
        int n = 0;
        points[n++] = 0;
        points[n++] = length;
        for (ParsedDocument.PageSpan page : document.pages()) {
            points[n++] = clamp(page.start(), length);
            points[n++] = clamp(page.end(), length);
        }
        for (ParsedDocument.Section section : document.sections()) {
            points[n++] = clamp(section.start(), length);
            points[n++] = clamp(section.end(), length);
        }
        int[] sorted = Arrays.copyOf(points, n);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, distinct);
    }

    private static int clamp(int offset, int length) {
        return Math.max(0, Math.min(offset, length));
    }

    /** One sentence as a unit, or, when it alone exceeds the maximum, as pieces of at most the target. */
    private void addSentence(String text, int start, int end, Units units) {
        int tokens = counter.count(text, start, end);
        if (tokens <= config.maxTokens()) {
            units.add(start, end, tokens);
            return;
        }
        cutLongSentence(text, start, end, units);
    }

    /** Packs clauses (split after ，、,；;：: or at spaces) into pieces up to the target; hard-cuts longer clauses. */
    private void cutLongSentence(String text, int start, int end, Units units) {
        int pieceStart = start;
        int pieceTokens = 0;
        int clauseStart = start;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            boolean clauseEnd = i + 1 == end || isClausePunctuation(c)
                    || (SentenceSplitter.isSpace(text.charAt(i + 1)) && !SentenceSplitter.isSpace(c));
            if (!clauseEnd) {
                continue;
            }
            int clauseEndOffset = i + 1;
            int clauseTokens = counter.count(text, clauseStart, clauseEndOffset);
            if (pieceTokens > 0 && pieceTokens + clauseTokens > config.targetTokens()) {
                addTrimmed(text, pieceStart, clauseStart, units);
                pieceStart = clauseStart;
                pieceTokens = 0;
            }
            if (clauseTokens > config.targetTokens()) {
                hardCut(text, clauseStart, clauseEndOffset, units);
                pieceStart = clauseEndOffset;
                pieceTokens = 0;
            } else {
                pieceTokens += clauseTokens;
            }
            clauseStart = clauseEndOffset;
        }
        if (pieceStart < end) {
            addTrimmed(text, pieceStart, end, units);
        }
    }

    /**
     * Cuts anywhere: the longest prefix within the target, repeatedly. The prefix is found by doubling a window until
     * it holds more than the target, then by binary search inside it: each piece costs counts over about twice its
     * own length. (Counting up to the end of the run for every piece made 10 MB of unpunctuated Chinese, one
     * "sentence", take quadratic time: 20 s and more.)
     */
    private void hardCut(String text, int start, int end, Units units) {
        int from = start;
        while (from < end) {
            int lo = from + 1;
            int hi = end;
            int window = config.targetTokens();
            while (from + window < end && counter.count(text, from, from + window) <= config.targetTokens()) {
                lo = from + window;
                window = window > (end - from) / 2 ? end - from : window * 2;
            }
            hi = Math.min(end, from + window);
            if (counter.count(text, from, hi) > config.targetTokens()) {
                while (lo < hi) {
                    int mid = (lo + hi + 1) >>> 1;
                    if (counter.count(text, from, mid) <= config.targetTokens()) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
            } else {
                lo = hi;
            }
            int cut = lo;
            if (cut < end && Character.isLowSurrogate(text.charAt(cut)) && cut - 1 > from) {
                cut--;
            }
            addTrimmed(text, from, cut, units);
            from = cut;
        }
    }

    private void addTrimmed(String text, int start, int end, Units units) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (start < end) {
            units.add(start, end, counter.count(text, start, end));
        }
    }

    private static boolean isClausePunctuation(char c) {
        return c == '，' || c == '、' || c == ',' || c == '；' || c == ';' || c == '：' || c == ':';
    }

    /** Greedy packing of the units of one page/section with whole-unit overlap. */
    private void pack(ParsedDocument document, Units units, List<Chunk> chunks) {
        String text = document.text();
        int n = units.size;
        int first = 0;
        while (first < n) {
            int last = first; // inclusive
            long sum = units.tokens[first];
            while (last + 1 < n && sum + units.tokens[last + 1] <= config.targetTokens()) {
                last++;
                sum += units.tokens[last];
            }
            int start = units.starts[first];
            int end = units.ends[last];
            int tokens = counter.count(text, start, end);
            // Separately counted units may merge differently once joined; the maximum is a promise.
            while (tokens > config.maxTokens() && last > first) {
                last--;
                end = units.ends[last];
                tokens = counter.count(text, start, end);
            }
            chunks.add(new Chunk(chunks.size(), start, end, text.substring(start, end),
                    pageAt(document, start), headingAt(document, start), tokens));
            if (last + 1 >= n) {
                break;
            }
            first = overlapStart(units, first, last);
        }
    }

    /**
     * Where the next chunk starts: the earliest unit after {@code first} such that the units from it to {@code last}
     * fit the overlap and, together with the next new unit, the target.
     */
    private int overlapStart(Units units, int first, int last) {
        int next = last + 1;
        int start = next;
        long sum = 0;
        while (start - 1 > first && sum + units.tokens[start - 1] <= config.overlapTokens()
                && sum + units.tokens[start - 1] + units.tokens[next] <= config.targetTokens()) {
            start--;
            sum += units.tokens[start];
        }
        return start;
    }

    private static int pageAt(ParsedDocument document, int offset) {
        List<ParsedDocument.PageSpan> pages = document.pages();
        int lo = 0;
        int hi = pages.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (pages.get(mid).start() <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        // Several empty pages may share a start offset: the last of them that starts here holds the text.
        return found < 0 ? (pages.isEmpty() ? 1 : pages.get(0).page()) : pages.get(found).page();
    }

    private static String headingAt(ParsedDocument document, int offset) {
        List<ParsedDocument.Section> sections = document.sections();
        int lo = 0;
        int hi = sections.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            ParsedDocument.Section s = sections.get(mid);
            if (offset < s.start()) {
                hi = mid - 1;
            } else if (offset >= s.end()) {
                lo = mid + 1;
            } else {
                return s.headingPath();
            }
        }
        return "";
    }

    /** Growable parallel arrays of sentence units of one block. */
    private static final class Units {
        int[] starts = new int[64];
        int[] ends = new int[64];
        int[] tokens = new int[64];
        int size;

        void add(int start, int end, int count) {
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                ends = Arrays.copyOf(ends, size * 2);
                tokens = Arrays.copyOf(tokens, size * 2);
            }
            starts[size] = start;
            ends[size] = end;
            tokens[size] = count;
            size++;
        }

        void clear() {
            size = 0;
        }
    }
}
