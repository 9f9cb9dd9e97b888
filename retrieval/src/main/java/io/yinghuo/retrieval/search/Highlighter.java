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
 * Marks the question's terms in a chunk and picks a snippet window.
 *
 * <p>The chunk text is re-analyzed with each search field's analyzer and every token that is one of the question's
 * terms in that field is marked, at the token's offsets in the original text (folding keeps offsets, so a
 * traditional-script chunk is marked where a simplified question matched it). Overlapping and touching marks are
 * merged. Single Han characters found only as one-character words (的, 是, 在…) are not marked on their own unless
 * the question has nothing longer: they carry little and would speckle the snippet.
 */
final class Highlighter {

    static final int SNIPPET_CHARS = 160;
    /** How far before the first mark a snippet may start, to begin at a sentence start when one is near. */
    private static final int LEAD_CHARS = 30;

    private final IndexProfile profile;
    private final Map<String, Analyzer> analyzers;

    Highlighter(IndexProfile profile, Map<String, Analyzer> analyzers) {
        this.profile = profile;
        this.analyzers = analyzers;
    }

    List<Highlight> highlights(String text, QueryTerms terms) {
        boolean hasLongTerm = false;
        for (IndexProfile.SearchField field : profile.searchFields()) {
            for (String term : terms.terms(field.name()).keySet()) {
                hasLongTerm |= term.length() > 1 || !isHan(term.charAt(0));
            }
        }
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

    Snippet snippet(String text, List<Highlight> highlights) {
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
