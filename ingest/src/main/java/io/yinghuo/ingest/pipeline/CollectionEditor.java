package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.CollectionRecord;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Creates, renames and deletes collections (knowledge bases) of a data folder, each in one durable commit.
 *
 * <p>Documents keep their ids when their collection is renamed, so links to them, citations in saved conversations
 * and the stored originals and OCR word boxes stay valid; uploading a file name again into the renamed collection still replaces that
 * document, because the pipeline looks names up in the catalogue ({@link DocumentIdResolver}).
 *
 * <p>Concurrency: a change holds {@code lock}, which the pipeline's admission of files and its deletions also hold
 * briefly, and first waits for the jobs already admitted into the collections it touches. So no ingestion or
 * deletion of those documents runs while their blocks are rewritten, and a rename never races an upload of the
 * same file name.
 */
final class CollectionEditor {

    private final ChunkStore index;
    private final DurableCommit durableCommit;
    private final OriginalsBookkeeping originals;
    private final WordBoxBookkeeping wordBoxes;
    private final PerDocumentOrder order;
    private final ReentrantLock lock;

    CollectionEditor(ChunkStore index, DurableCommit durableCommit, OriginalsBookkeeping originals,
                     WordBoxBookkeeping wordBoxes, PerDocumentOrder order, ReentrantLock lock) {
        this.index = index;
        this.durableCommit = durableCommit;
        this.originals = originals;
        this.wordBoxes = wordBoxes;
        this.order = order;
        this.lock = lock;
    }

    CollectionRecord create(String name) throws IOException {
        String normalized = CollectionNames.requireNamed(name);
        lock.lock();
        try {
            order.awaitJobsIn(normalized); // a pending upload into it makes it exist
            if (index.collectionExists(normalized)) {
                throw new CollectionException(CollectionException.Reason.EXISTS, normalized);
            }
            index.stageCollection(normalized, System.currentTimeMillis());
            durableCommit.commit();
            return find(normalized);
        } finally {
            lock.unlock();
        }
    }

    CollectionRecord rename(String from, String to) throws IOException {
        String source = CollectionNames.normalize(from);
        if (source.isEmpty()) {
            throw new CollectionException(CollectionException.Reason.DEFAULT_COLLECTION, source);
        }
        String target = CollectionNames.requireNamed(to);
        lock.lock();
        try {
            order.awaitJobsIn(source);
            order.awaitJobsIn(target);
            if (!index.collectionExists(source)) {
                throw new CollectionException(CollectionException.Reason.NOT_FOUND, source);
            }
            if (!target.equals(source) && index.collectionExists(target)) {
                throw new CollectionException(CollectionException.Reason.EXISTS, target);
            }
            if (!target.equals(source)) {
                index.stageCollectionRename(source, target);
                durableCommit.commit();
            }
            return find(target);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes a collection with all its documents, their originals and OCR word boxes; returns how many documents
     * went.
     */
    int delete(String name) throws IOException {
        String normalized = CollectionNames.normalize(name);
        if (normalized.isEmpty()) {
            throw new CollectionException(CollectionException.Reason.DEFAULT_COLLECTION, normalized);
        }
        lock.lock();
        try {
            order.awaitJobsIn(normalized);
            if (!index.collectionExists(normalized)) {
                throw new CollectionException(CollectionException.Reason.NOT_FOUND, normalized);
            }
            List<DocumentRecord> removed = index.stageCollectionDelete(normalized);
            durableCommit.commit();
            for (DocumentRecord record : removed) {
                originals.removeDeleted(record.originalPath());
                wordBoxes.removeDeleted(record);
            }
            return removed.size();
        } finally {
            lock.unlock();
        }
    }

    private CollectionRecord find(String name) {
        return index.collections().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("collection " + name + " missing after its commit"));
    }
}
