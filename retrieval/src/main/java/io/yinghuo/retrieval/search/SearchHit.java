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
 * @param score Lucene BM25 score of the chunk for the (part of the) question that retrieved it; comparable within
 *              one index and one question, not across questions or indexes
 * @param highlights matched spans relative to {@code text} (empty when snippets were not requested)
 * @param snippet a window around the best matches, or null when snippets were not requested
 */
public record SearchHit(String docId, String collection, String fileName, String title, int chunkIndex, int page,
                        String headingPath, int start, int end, String text, float score,
                        List<Highlight> highlights, Snippet snippet) {

    public SearchHit {
        highlights = List.copyOf(highlights);
    }
}
