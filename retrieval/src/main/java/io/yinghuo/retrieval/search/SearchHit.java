package io.yinghuo.retrieval.search;

import java.util.List;

/**
 * One retrieved chunk with everything a citation needs.
 *
 * @param docId the document's id
 * @param collection the document's collection ("" = default)
 * @param fileName the uploaded file name
 * @param title the document title
 * @param chunkIndex 0-based position of the chunk in its document
 * @param page page where the chunk starts (1-based)
 * @param headingPath heading path where the chunk starts ("" when none)
 * @param start start offset of the chunk in the document's parsed text (UTF-16 chars)
 * @param end end offset (exclusive)
 * @param text the chunk text
 * @param score relevance in [0, 1]: the convex combination of the chunk's keyword and vector scores, each divided
 *              by the best among the question's candidates (see {@link ScoreFusion}); 1 = best on every signal the
 *              chunk can have; comparable within one question, not across questions
 * @param highlights matched spans relative to {@code text} (empty when snippets were not requested)
 * @param snippet a window around the best matches, or null when snippets were not requested
 * @param retrieval how the chunk was ranked: {@link #HYBRID} (it has a vector: keywords and meaning) or
 *                  {@link #LEXICAL} (keywords only: no vector yet, or no embedding model)
 * @param similarity the cosine similarity of the chunk's vector and the question's, as LangChain4j's relevance
 *                   score {@code (1 + cos) / 2} in [0, 1]; NaN for lexical hits
 */
public record SearchHit(String docId, String collection, String fileName, String title, int chunkIndex, int page,
                        String headingPath, int start, int end, String text, float score,
                        List<Highlight> highlights, Snippet snippet, String retrieval, float similarity) {

    public static final String HYBRID = "hybrid";
    public static final String LEXICAL = "lexical";

    public SearchHit {
        highlights = List.copyOf(highlights);
        if (!HYBRID.equals(retrieval) && !LEXICAL.equals(retrieval)) {
            throw new IllegalArgumentException("retrieval must be hybrid or lexical, got " + retrieval);
        }
    }

    /** The same hit with these highlights and snippet. */
    public SearchHit withHighlights(List<Highlight> marks, Snippet window) {
        return new SearchHit(docId, collection, fileName, title, chunkIndex, page, headingPath, start, end, text, score,
                marks, window, retrieval, similarity);
    }
}
