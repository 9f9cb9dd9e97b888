package io.yinghuo.retrieval.index;

import java.util.Objects;

/**
 * One entry of the document catalogue. It is stored in the index itself, as a Lucene document committed in the same
 * block as the document's chunks, so the catalogue and the chunks can never disagree after a crash.
 *
 * @param docId stable id of the document (the ingest pipeline derives it from collection and file name)
 * @param collection the collection (knowledge base) the document belongs to; "" for the default one
 * @param fileName the file name as uploaded (for display; never used as a path)
 * @param title the document's title as parsed
 * @param format the parser that read it, e.g. "pdf", "text"
 * @param sha256 lower-case hex SHA-256 of the original bytes (duplicate detection)
 * @param sizeBytes size of the original
 * @param charCount length of the parsed text in UTF-16 chars
 * @param chunkCount how many chunks the document was split into
 * @param pageCount pages of the original (1 for formats without pages)
 * @param originalPath path of the stored original, relative to the originals folder, "/"-separated; "" if none
 * @param ingestedAtMillis when it was ingested (epoch milliseconds)
 */
public record DocumentRecord(String docId, String collection, String fileName, String title, String format,
                             String sha256, long sizeBytes, int charCount, int chunkCount, int pageCount,
                             String originalPath, long ingestedAtMillis) {

    public DocumentRecord {
        Objects.requireNonNull(docId, "docId");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(originalPath, "originalPath");
        if (docId.isEmpty()) {
            throw new IllegalArgumentException("document id must not be empty");
        }
    }
}
