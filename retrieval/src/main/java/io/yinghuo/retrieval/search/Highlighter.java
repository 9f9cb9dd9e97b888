package io.yinghuo.retrieval.search;

import io.yinghuo.retrieval.index.IndexProfile;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Marks a question's terms in chunk texts and picks a snippet window. {@link ChunkSearcher#highlighter} makes one
 * per question (the question is analyzed once, with the index's own analyzers), so that passages already retrieved,
 * by a search or by the RAG pipeline, are marked from their text without searching again.
 *
 * <p>The chunk text is re-analyzed with each search field's analyzer and every token that is one of the question's
 * terms in that field is marked, at the token's offsets in the original text (folding keeps offsets, so a
 * traditional-script chunk is marked where a simplified question matched it). Overlapping and touching marks are
 * merged. Single Han characters found only as one-character words (的, 是, 在…) are not marked on their own unless
 * the question has nothing longer: they carry little and would speckle the snippet.
 *
 * <p>Why not Lucene's UnifiedHighlighter (lucene-highlighter): it takes match offsets from postings with offsets,
 * from term vectors, or by re-analyzing the text
 * (https://lucene.apache.org/core/9_12_0/highlighter/org/apache/lucene/search/uhighlight/UnifiedHighlighter.html).
 * Our search fields store neither offsets nor term vectors (schema-2 indexes keep only each distinct term's count),
 * so it would re-analyze as this class does, but for the Lucene document ids of a query's hits, whereas RAG
 * passages arrive as LangChain4j contents (text and metadata): using it would mean searching again. It would also
 * need a passage formatter of our own to give offsets instead of markup, and it knows neither the single-character
 * rule above nor our snippet window. Re-analysis here yields offsets in the original text directly, because the
 * traditional-to-simplified fold maps each character to exactly one character.
 */
public final class Highlighter {

    static final int SNIPPET_CHARS = 160;
    /** How far before the first mark a snippet may start, to begin at a sentence start when one is near. */
    private static final int LEAD_CHARS = 30;

    private final IndexProfile profile;
    private final Map<String, Analyzer> analyzers;
    private final QueryTerms terms;
    private final boolean hasLongTerm;

    Highlighter(IndexProfile profile, Map<String, Analyzer> analyzers, QueryTerms terms) {
        this.profile = profile;
        this.analyzers = analyzers;
        this.terms = terms;
        boolean longTerm = false;
        for (IndexProfile.SearchField field : profile.searchFields()) {
            for (String term : terms.terms(field.name()).keySet()) {
                longTerm |= term.length() > 1 || !isHan(term.charAt(0));
            }
        }
        this.hasLongTerm = longTerm;
    }

    /** The hit with the question's terms marked in its text and a snippet around the best matches. */
    public SearchHit mark(SearchHit hit) {
        List<Highlight> highlights = highlights(hit.text());
        return hit.withHighlights(highlights, snippet(hit.text(), highlights));
    }

    /** The question's terms in {@code text}: sorted, merged spans at offsets into {@code text}. */
    public List<Highlight> highlights(String text) {
        List<int[]> spans = new ArrayList<>();
        for (IndexProfile.SearchField field : profile.searchFields()) {
            Map<String, Integer> wanted = terms.terms(field.name());
            if (wanted.isEmpty()) {
                continue;
            }
            try (TokenStream stream = analyzers.get(field.name()).tokenStream(field.name(), text)) {
                CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
                OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
                stream.reset();
                while (stream.incrementToken()) {
                    String value = term.toString();
                    if (!wanted.containsKey(value)) {
                        continue;
                    }
                    if (hasLongTerm && value.length() == 1 && isHan(value.charAt(0))) {
                        continue;
                    }
                    if (offset.endOffset() > offset.startOffset() && offset.endOffset() <= text.length()) {
                        spans.add(new int[] {offset.startOffset(), offset.endOffset()});
                    }
                }
                stream.end();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return merge(spans);
    }

    /**
     * A window of about {@value #SNIPPET_CHARS} characters holding the most marked text, started at a sentence
     * start when one is near; the whole text when it is that short.
     */
    public Snippet snippet(String text, List<Highlight> highlights) {
        if (text.length() <= SNIPPET_CHARS) {
            return new Snippet(text, 0, highlights, false, false);
        }
        int bestStart = 0;
        int bestScore = -1;
        for (Highlight anchor : highlights) {
            int start = Math.max(0, Math.min(anchor.start() - 10, text.length() - SNIPPET_CHARS));
            int score = 0;
            for (Highlight h : highlights) {
                if (h.start() >= start && h.end() <= start + SNIPPET_CHARS) {
                    score += h.end() - h.start();
                }
            }
            if (score > bestScore) {
                bestScore = score;
                bestStart = start;
            }
        }
        bestStart = sentenceStartNear(text, bestStart);
        int end = Math.min(text.length(), bestStart + SNIPPET_CHARS);
        List<Highlight> inside = new ArrayList<>();
        for (Highlight h : highlights) {
            if (h.start() >= bestStart && h.end() <= end) {
                inside.add(new Highlight(h.start() - bestStart, h.end() - bestStart));
            }
        }
        return new Snippet(text.substring(bestStart, end), bestStart, inside, bestStart > 0, end < text.length());
    }

    private static int sentenceStartNear(String text, int start) {
        for (int i = start; i > 0 && i >= start - LEAD_CHARS; i--) {
            char before = text.charAt(i - 1);
            if (before == '。' || before == '！' || before == '？' || before == '\n' || before == '；') {
                return i;
            }
        }
        return start;
    }

    private static List<Highlight> merge(List<int[]> spans) {
        spans.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        List<Highlight> merged = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (int[] span : spans) {
            if (start >= 0 && span[0] <= end) {
                end = Math.max(end, span[1]);
                continue;
            }
            if (start >= 0) {
                merged.add(new Highlight(start, end));
            }
            start = span[0];
            end = span[1];
        }
        if (start >= 0) {
            merged.add(new Highlight(start, end));
        }
        return merged;
    }

    private static boolean isHan(char c) {
        return Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN;
    }
}
