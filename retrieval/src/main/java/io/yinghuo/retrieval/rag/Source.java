package io.yinghuo.retrieval.rag;

/**
 * A passage as the response shows it, with what a user needs to check it: the file, page, the passage's text and
 * its offsets in the document's parsed text for highlighting.
 *
 * @param number     its citation number in the answer ([number])
 * @param part       0-based index of the question part it was retrieved for
 * @param docId      document id
 * @param fileName   the file name as uploaded
 * @param title      the document title
 * @param page       1-based page where it starts (0 when unknown)
 * @param start      start offset in the document's parsed text (UTF-16 chars; -1 when unknown)
 * @param end        end offset, exclusive (-1 when unknown)
 * @param chunkIndex position of the chunk in its document
 * @param score      retrieval score (BM25; comparable only within one question)
 * @param text       the passage text
 */
public record Source(int number, int part, String docId, String fileName, String title, int page, int start,
                     int end, int chunkIndex, double score, String text) {

    public static Source of(Evidence e) {
        return new Source(e.number(), e.part(), e.docId(), e.fileName(), e.title(), e.page(), e.start(), e.end(),
                e.chunkIndex(), e.score(), e.text());
    }
}
