package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.parse.ParsedDocument;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Keeps the stored OCR word boxes in step with the index over a document's life, as {@link OriginalsBookkeeping}
 * does for originals: written durably before the document is staged, the replaced version's removed after the
 * commit that publishes the new one (also when the new one has no boxes: its text, and so every offset, changed),
 * removed after the commit that deletes the document or its collection, and at open every file no committed
 * catalogue entry names removed (a crash between writing the boxes and committing leaves such a file).
 *
 * <p>A collection rename keeps document ids and content hashes, so it leaves the boxes as they are.
 */
final class WordBoxBookkeeping {

    private final WordBoxStore store;

    private WordBoxBookkeeping(WordBoxStore store) {
        this.store = store;
    }

    /** Opens the word box folder and removes the files of document versions no committed entry of index holds. */
    static WordBoxBookkeeping open(Path root, ChunkStore index) throws IOException {
        WordBoxStore store = new WordBoxStore(root);
        Set<String> referenced = new HashSet<>();
        for (DocumentRecord document : index.documents()) {
            if (WordBoxStore.names(document.docId(), document.sha256())) {
                referenced.add(WordBoxStore.fileName(document.docId(), document.sha256()));
            }
        }
        store.retainOnly(referenced);
        return new WordBoxBookkeeping(store);
    }

    /**
     * Stores the boxes of a parsed scan durably; returns whether there were any. Call before staging the document,
     * after the job's content hash is known.
     */
    boolean saveBeforeStaging(IngestJob job, ParsedDocument parsed) throws IOException {
        if (parsed.ocrPages().isEmpty()) {
            return false;
        }
        store.save(job.docId(), job.sha256, parsed.ocrPages());
        return true;
    }

    /**
     * Removes the boxes saved for a file that failed before it was staged. No committed version shares its name:
     * the same document with the same content is never ingested again ({@link ContentReservations}).
     */
    void discardUnstaged(IngestJob job) {
        removeQuietly(job.docId(), job.sha256);
    }

    /** After the commit that published the job's new version: removes the boxes of the version it replaced. */
    void removeReplaced(IngestJob job) {
        if (job.replaced != null && !job.replaced.sha256().equals(job.record.sha256())) {
            removeQuietly(job.replaced.docId(), job.replaced.sha256());
        }
    }

    /** After the commit that deleted its document: removes its boxes. */
    void removeDeleted(DocumentRecord record) {
        removeQuietly(record.docId(), record.sha256());
    }

    private void removeQuietly(String docId, String sha256) {
        try {
            store.remove(docId, sha256);
        } catch (IOException | RuntimeException e) {
            // Left for the next open's clean-up of files no catalogue entry names.
        }
    }
}
