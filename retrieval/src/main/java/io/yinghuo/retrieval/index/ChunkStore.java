package io.yinghuo.retrieval.index;

import io.yinghuo.retrieval.vectors.VectorSpace;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where the chunks and the document catalogue live: the backend interface of the index. {@link ChunkIndex} is the
 * embedded Lucene index of one data folder; other implementations (a search cluster) live in modules of their own.
 * Search, RAG, the ContentRetriever, evaluation and ingestion see only this interface.
 *
 * <p>Every implementation keeps the same promises, checked by the contract test suite
 * ({@code ChunkStoreContract} in this module's test jar):
 * <ul>
 *   <li>Changes are <em>staged</em> ({@link #stageReplace}, {@link #stageDelete}, …) and become durable and visible
 *       to searches and the catalogue only at {@link #commit}; a staged change is never visible before.</li>
 *   <li>A document's catalogue entry and all its chunks change together: a search sees either the whole old
 *       version of a document or the whole new one (each implementation states the exact scope of this guarantee:
 *       per index, or per replica).</li>
 *   <li>The catalogue methods ({@link #document}, {@link #documents}, {@link #collections}, …) answer from the
 *       committed state. They declare no checked exception because the embedded index answers them from memory;
 *       a remote backend that cannot reach its server throws {@link java.io.UncheckedIOException}.</li>
 * </ul>
 */
public interface ChunkStore extends Closeable {

    /** The searchable fields and how chunks are turned into them. */
    IndexProfile profile();

    /** Where the index is, for messages (a folder, a URL without credentials). */
    String location();

    /** Whether it was opened for searching only (staging then fails). */
    boolean readOnly();

    /** Stages the document with these chunks, replacing any version with the same id. */
    void stageReplace(DocumentRecord document, List<ChunkRecord> chunks) throws IOException;

    /** Stages the removal of every chunk and the catalogue entry of a document. */
    void stageDelete(String docId) throws IOException;

    /**
     * Stages the committed version {@code document} again, its chunks now carrying {@code vectors} of {@code space}
     * (one per chunk, in chunk order), replacing the whole document at once. Returns false, staging nothing, when
     * the document changed since it was read (another version committed or staged, or deleted).
     */
    boolean stageVectors(DocumentRecord document, List<ChunkRecord> chunks, VectorSpace space, List<float[]> vectors)
            throws IOException;

    /** Stages the registration of a collection, so it exists while it has no documents. */
    void stageCollection(String name, long createdAtMillis) throws IOException;

    /**
     * Stages moving every committed document of collection {@code from} to {@code to} and the registration, so the
     * next commit holds the whole rename. Returns the moved documents as committed before.
     */
    List<DocumentRecord> stageCollectionRename(String from, String to) throws IOException;

    /** Stages the removal of every committed document of a collection and its registration; returns them. */
    List<DocumentRecord> stageCollectionDelete(String name) throws IOException;

    /** Makes every change staged before this call durable and visible. Returns the ids of the documents it holds. */
    default List<String> commit() throws IOException {
        return commit(() -> {
        });
    }

    /**
     * As {@link #commit()}, running {@code beforePublish} after the changes are fixed and before they are made
     * visible; if it fails the commit is still completed and the failure thrown.
     */
    List<String> commit(BeforePublish beforePublish) throws IOException;

    /** Work that must be durable before a commit is published (e.g. files the staged documents refer to). */
    @FunctionalInterface
    interface BeforePublish {
        void run() throws IOException;
    }

    /** Whether there are staged changes not yet committed. */
    boolean hasStagedChanges();

    /** The committed catalogue entry of a document. */
    Optional<DocumentRecord> document(String docId);

    /** A committed document with these original bytes (by SHA-256), if any; the smallest id when several. */
    Optional<DocumentRecord> documentBySha256(String sha256);

    /** The committed document with this file name in this collection, if any. */
    Optional<DocumentRecord> documentByName(String collection, String fileName);

    /** The committed catalogue, ordered by file name then id. */
    List<DocumentRecord> documents();

    /** Every collection (the default "" first, then by name) with its committed document count. */
    List<CollectionRecord> collections();

    /** Whether a collection of this name exists: registered, or holding a committed document. */
    boolean collectionExists(String name);

    /** The vector space of a committed document's vectors; empty when it has none. */
    Optional<VectorSpace> vectorSpace(String docId);

    /** Committed documents without vectors of {@code space} and with no staged change, oldest ingestion first. */
    List<DocumentRecord> documentsWithoutVectors(VectorSpace space);

    /** The committed chunks of a document, in chunk order (empty if unknown). */
    List<ChunkRecord> chunks(String docId) throws IOException;

    /** Number of committed chunks (all documents). */
    int chunkCount() throws IOException;

    /**
     * A view of the committed state for one search; close it when done. On the embedded index it is one commit
     * point; on a cluster each call reads the state committed at that moment (see the implementation).
     */
    SearchSnapshot snapshot() throws IOException;

    /** Discards staged changes and closes; nothing uncommitted is written. */
    @Override
    void close() throws IOException;
}
