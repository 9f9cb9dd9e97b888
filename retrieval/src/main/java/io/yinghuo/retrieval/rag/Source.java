package io.yinghuo.retrieval.rag;

import io.yinghuo.retrieval.search.Highlight;
import io.yinghuo.retrieval.search.Highlighter;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.Snippet;

import java.util.List;
import java.util.Objects;

/**
 * A passage as the response shows it: its citation number and the search hit it is, with what a user needs to
 * check it (file, page, the passage's text and its offsets in the document's parsed text) and the question's terms
 * marked in it. It is a hit rather than a copy of one so that a passage is shown, and serialized, the same way
 * whether a search or an answer returned it.
 *
 * @param number its citation number in the answer ([number])
 * @param part   0-based index of the question part it was retrieved for
 * @param hit    the passage, with highlights and a snippet
 */
public record Source(int number, int part, SearchHit hit) {

    public Source {
        if (number < 1) {
            throw new IllegalArgumentException("source numbers start at 1, got " + number);
        }
        Objects.requireNonNull(hit, "hit");
    }

    /** The evidence with {@code highlighter}'s question marked in its text. */
    public static Source of(Evidence evidence, Highlighter highlighter) {
        return new Source(evidence.number(), evidence.part(), highlighter.mark(evidence.hit()));
    }

    public String docId() {
        return hit.docId();
    }

    public String fileName() {
        return hit.fileName();
    }

    public String title() {
        return hit.title();
    }

    /** 1-based page where it starts (0 when unknown). */
    public int page() {
        return hit.page();
    }

    /** Start offset in the document's parsed text (UTF-16 chars; -1 when unknown). */
    public int start() {
        return hit.start();
    }

    /** End offset, exclusive (-1 when unknown). */
    public int end() {
        return hit.end();
    }

    /** Position of the chunk in its document. */
    public int chunkIndex() {
        return hit.chunkIndex();
    }

    /** Retrieval score (BM25; comparable only within one question). */
    public double score() {
        return hit.score();
    }

    public String text() {
        return hit.text();
    }

    /** The question's terms in {@link #text()}. */
    public List<Highlight> highlights() {
        return hit.highlights();
    }

    /** A window of the text around the best matches. */
    public Snippet snippet() {
        return hit.snippet();
    }
}
