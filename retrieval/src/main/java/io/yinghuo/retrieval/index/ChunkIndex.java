package io.yinghuo.retrieval.index;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

import io.yinghuo.retrieval.vectors.VectorSpace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The Lucene index of one data folder: chunks and the document catalogue, in one index so they commit together.
 *
 * <p>Consistency model. Every change is first <em>staged</em> ({@link #stageReplace}, {@link #stageDelete}) and
 * becomes durable and visible only at {@link #commit}. A document's catalogue entry and all its chunks are written
 * as one Lucene block with {@link IndexWriter#updateDocuments}, which deletes the previous version and adds the new
 * one atomically: a commit, and so a reader after a crash, holds either the whole old version or the whole new one.
 * Staging goes on while a commit runs (analysis is most of the work, and it must not wait for a flush or an fsync):
 * each staged change carries the sequence number Lucene gave it, and a commit applies to the catalogue exactly the
 * changes up to the sequence number its commit point holds. Searchers are opened on commit points, never on the
 * writer's unflushed state, so searches see exactly the committed state, never a staged document.
 *
 * <p>Searches run concurrently with ingestion, through a {@link SearcherManager} refreshed after each commit.
 */
public final class ChunkIndex implements ChunkStore {

    private final Path directoryPath;
    private final IndexProfile profile;
    private final IndexSchema schema;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searcherManager;
    /** Staging and commits share it; close takes it alone, so it never closes the writer under them. */
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    /** One commit at a time applies its changes to the catalogue. */
    private final Object commitMonitor = new Object();
    /** Committed catalogue, by document id, and document ids by content hash (changed together, by commits). */
    private final Map<String, DocumentRecord> catalogue = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> docIdsBySha256 = new ConcurrentHashMap<>();
    /** Committed vector space label of each document that has vectors. */
    private final Map<String, String> vectorSpaceByDocId = new ConcurrentHashMap<>();
    /** Staged catalogue changes not yet applied, by Lucene sequence number. */
    private final ConcurrentSkipListMap<Long, StagedChange> staged = new ConcurrentSkipListMap<>();
    /** Staged changes not yet committed, by document id (absent = none). */
    private final Map<String, Integer> pendingByDocId = new ConcurrentHashMap<>();
    /**
     * Staging a document's change and checking that nothing is pending for it happen under its stripe, so that
     * vectors computed from a committed version are never staged over a newer version staged meanwhile.
     */
    private final Object[] stagingStripes = new Object[64];
    /** Stagings between their writer call and their record in {@link #staged}, waited for by a commit. */
    private final StagingsInFlight inFlight = new StagingsInFlight();

    /** Committed document ids by collection and file name: a file name is one document in a collection. */
    private final Map<NameKey, String> docIdByName = new ConcurrentHashMap<>();
    /** Committed registered collections (those created explicitly, kept while empty): name → created at (ms). */
    private final Map<String, Long> registeredCollections = new ConcurrentHashMap<>();

    private record NameKey(String collection, String fileName) {
    }

    /** A staged change, applied to the in-memory catalogue when the commit holding it is published. */
    private sealed interface StagedChange permits DocumentChange, CollectionChange {
    }

    /**
     * A staged change of one document: its new catalogue entry, or none for a deletion, and the vector space of its
     * chunks' vectors (null: no vectors).
     */
    private record DocumentChange(String docId, Optional<DocumentRecord> record, String vectorSpace)
            implements StagedChange {
    }

    /** A collection registered (with its creation time) or, with null, unregistered. */
    private record CollectionChange(String name, Long createdAtMillis) implements StagedChange {
    }

    private ChunkIndex(Path directoryPath, IndexProfile profile, IndexSchema schema, FSDirectory directory,
                       IndexWriter writer) throws IOException {
        this.directoryPath = directoryPath;
        this.profile = profile;
        this.schema = schema;
        this.directory = directory;
        this.writer = writer;
        this.searcherManager = new SearcherManager(directory, null);
        for (int i = 0; i < stagingStripes.length; i++) {
            stagingStripes[i] = new Object();
        }
        loadCatalogue();
    }

    /**
     * Opens an existing index for searching only, at its last commit, without taking the write lock (so it works
     * while another process, e.g. the web app, is writing). The profile is read from the index.
     *
     * @throws IllegalArgumentException when there is no index there
     */
    public static ChunkIndex openReadOnly(Path indexDirectory) throws IOException {
        if (!Files.isDirectory(indexDirectory)) {
            throw new IllegalArgumentException("no index at " + indexDirectory);
        }
        FSDirectory directory = FSDirectory.open(indexDirectory);
        try {
            if (!DirectoryReader.indexExists(directory)) {
                throw new IllegalArgumentException("no index at " + indexDirectory);
            }
            String label;
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                label = reader.getIndexCommit().getUserData().get(IndexFields.COMMIT_PROFILE);
            }
            IndexProfile profile = label == null ? IndexProfile.CHINESE_HYBRID : IndexProfile.fromLabel(label);
            // The schema only says how to write; every schema reads the same way.
            return new ChunkIndex(indexDirectory, profile, IndexSchema.CURRENT, directory, null);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    /** Whether this index was opened with {@link #openReadOnly}. */
    public boolean readOnly() {
        return writer == null;
    }

    private IndexWriter writer() {
        if (writer == null) {
            throw new IllegalStateException("the index " + directoryPath + " was opened read-only");
        }
        return writer;
    }

    /**
     * Opens (or creates) the index in {@code indexDirectory}.
     *
     * @throws IllegalArgumentException when the index was built with another profile or schema, or another process
     *                                  holds it open
     */
    public static ChunkIndex open(Path indexDirectory, IndexProfile profile) throws IOException {
        return open(indexDirectory, profile, IndexSchema.CURRENT);
    }

    /** As {@link #open(Path, IndexProfile)}, creating a missing index with {@code newIndexSchema}. */
    static ChunkIndex open(Path indexDirectory, IndexProfile profile, IndexSchema newIndexSchema)
            throws IOException {
        Files.createDirectories(indexDirectory);
        FSDirectory directory = FSDirectory.open(indexDirectory);
        IndexWriter writer = null;
        try {
            IndexSchema schema = checkProfile(directory, indexDirectory, profile).orElse(newIndexSchema);
            IndexWriterConfig config = new IndexWriterConfig(schema.indexAnalyzer(profile));
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            config.setSimilarity(new BM25Similarity());
            config.setRAMBufferSizeMB(64);
            config.setCommitOnClose(false);
            config.setMergePolicy(bulkFriendlyMergePolicy());
            try {
                writer = new IndexWriter(directory, config);
            } catch (LockObtainFailedException e) {
                throw new IllegalArgumentException("the index " + indexDirectory
                        + " is in use by another process (close it first)", e);
            }
            writer.setLiveCommitData(Map.of(IndexFields.COMMIT_PROFILE, profile.label(),
                    IndexFields.COMMIT_SCHEMA, schema.label()).entrySet());
            if (!DirectoryReader.indexExists(directory)) {
                writer.commit();
            }
            return new ChunkIndex(indexDirectory, profile, schema, directory, writer);
        } catch (IOException | RuntimeException e) {
            if (writer != null) {
                writer.rollback();
            }
            directory.close();
            throw e;
        }
    }

    /**
     * Lucene's tiered policy with 30 instead of 10 segments per tier. Group commit flushes a few small segments
     * every commit window while files stream in, and with 10 per tier they were merged again and again (JFR: 15-20 %
     * of ingest CPU after the norms fix); 30 cut that by half at the price of more, still few, segments to search.
     */
    private static TieredMergePolicy bulkFriendlyMergePolicy() {
        TieredMergePolicy policy = new TieredMergePolicy();
        policy.setSegmentsPerTier(30);
        return policy;
    }

    /** Checks the profile of an existing index and returns its schema; empty when there is no index yet. */
    private static Optional<IndexSchema> checkProfile(FSDirectory directory, Path path, IndexProfile profile)
            throws IOException {
        if (!DirectoryReader.indexExists(directory)) {
            return Optional.empty();
        }
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            Map<String, String> data = reader.getIndexCommit().getUserData();
            String label = data.get(IndexFields.COMMIT_PROFILE);
            if (label != null && !label.equals(profile.label())) {
                throw new IllegalArgumentException("the index " + path + " was built as " + label
                        + ", not " + profile.label());
            }
            return Optional.of(IndexSchema.fromCommitData(data.get(IndexFields.COMMIT_SCHEMA), path));
        }
    }

    public IndexProfile profile() {
        return profile;
    }

    public Path directory() {
        return directoryPath;
    }

    @Override
    public String location() {
        return directoryPath.toString();
    }

    @Override
    public SearchSnapshot snapshot() throws IOException {
        return new LuceneSnapshot(searcherManager);
    }

    /**
     * Stages the document with these chunks, replacing any version with the same id. Visible and durable only after
     * {@link #commit}. Safe to call from several threads (analysis runs in the calling thread).
     */
    public void stageReplace(DocumentRecord document, List<ChunkRecord> chunks) throws IOException {
        StagingChecks.requireChunks(document, chunks);
        List<Document> block = block(document, chunks, null, null);
        closeLock.readLock().lock();
        try {
            synchronized (stripe(document.docId())) {
                stage(writer -> writer.updateDocuments(new Term(IndexFields.DOC_ID, document.docId()), block),
                        new DocumentChange(document.docId(), Optional.of(document), null));
            }
        } finally {
            closeLock.readLock().unlock();
        }
    }

    /** Stages the removal of every chunk and the catalogue entry of a document. */
    public void stageDelete(String docId) throws IOException {
        closeLock.readLock().lock();
        try {
            synchronized (stripe(docId)) {
                stage(writer -> writer.deleteDocuments(new Term(IndexFields.DOC_ID, docId)),
                        new DocumentChange(docId, Optional.empty(), null));
            }
        } finally {
            closeLock.readLock().unlock();
        }
    }

    /**
     * Stages the committed version {@code document} again, its chunks now carrying {@code vectors} of
     * {@code space} (one per chunk, in chunk order): the whole block is replaced, as by {@link #stageReplace}, so a
     * commit holds a document either without vectors or with all of them, and never two vectors for one chunk.
     * Visible and durable after {@link #commit}.
     *
     * <p>Returns false, staging nothing, when the document changed since {@code document} and {@code chunks} were
     * read: another version is committed, or a change of it is staged and not yet committed, or it was deleted. The
     * caller then reads the document again (its vectors would be of text that is no longer there).
     */
    public boolean stageVectors(DocumentRecord document, List<ChunkRecord> chunks, VectorSpace space,
                                List<float[]> vectors) throws IOException {
        StagingChecks.requireVectors(document, chunks, space, vectors);
        List<Document> block = block(document, chunks, space, vectors);
        closeLock.readLock().lock();
        try {
            synchronized (stripe(document.docId())) {
                if (pendingByDocId.containsKey(document.docId())
                        || !document.equals(catalogue.get(document.docId()))) {
                    return false;
                }
                stage(writer -> writer.updateDocuments(new Term(IndexFields.DOC_ID, document.docId()), block),
                        new DocumentChange(document.docId(), Optional.of(document), space.label()));
                return true;
            }
        } finally {
            closeLock.readLock().unlock();
        }
    }

    private Object stripe(String docId) {
        return stagingStripes[Math.floorMod(docId.hashCode(), stagingStripes.length)];
    }

    /** A change given to the writer, returning its sequence number. */
    @FunctionalInterface
    private interface WriterOperation {
        long applyTo(IndexWriter writer) throws IOException;
    }

    /**
     * Gives a change to the writer and records it by the sequence number the writer gave it, for the commit that
     * holds it to apply; a commit waits for stagings under way when it takes its commit point (see
     * {@link StagingsInFlight}).
     */
    private void stage(WriterOperation operation, StagedChange change) throws IOException {
        long ticket = inFlight.begin();
        try {
            long seqNo = operation.applyTo(writer());
            if (change instanceof DocumentChange document) {
                pendingByDocId.merge(document.docId(), 1, Integer::sum);
            }
            staged.put(seqNo, change);
        } finally {
            inFlight.end(ticket);
        }
    }

    private List<Document> block(DocumentRecord document, List<ChunkRecord> chunks, VectorSpace space,
                                 List<float[]> vectors) {
        List<Document> block = new ArrayList<>(chunks.size() + 1);
        for (int i = 0; i < chunks.size(); i++) {
            Document chunk = chunkDocument(document, chunks.get(i));
            if (space != null) {
                chunk.add(new StringField(IndexFields.VECTOR_SPACE, space.label(), Field.Store.NO));
                chunk.add(new KnnFloatVectorField(space.fieldName(), vectors.get(i),
                        VectorSimilarityFunction.DOT_PRODUCT));
            }
            block.add(chunk);
        }
        Document entry = catalogueDocument(document);
        if (space != null) {
            entry.add(new StringField(IndexFields.VECTOR_SPACE, space.label(), Field.Store.YES));
        }
        block.add(entry); // last, as Lucene's block-join convention puts the parent
        return block;
    }

    /**
     * As {@link #commit()}, running {@code beforePublish} after the commit is prepared (its index files are on
     * disk, the changes it holds are fixed) and before it is published: a crash before publishing leaves the
     * previous commit. Every document the commit holds was staged before {@code beforePublish} runs, so a caller
     * that records what a document needs before staging it finds that recorded there. If {@code beforePublish} fails, the commit is still published (a
     * prepared commit must be finished or the writer rolled back and closed) and the failure is thrown.
     */
    @Override
    public List<String> commit(BeforePublish beforePublish) throws IOException {
        closeLock.readLock().lock();
        try {
            synchronized (commitMonitor) {
                long committedSeqNo = writer().prepareCommit();
                // The commit can hold a staging whose thread has not recorded its change yet: wait for it, or the
                // searcher published below would hold a document the catalogue lacks until the next commit.
                inFlight.awaitBegunBefore();
                IOException failure = null;
                try {
                    beforePublish.run();
                } catch (IOException e) {
                    failure = e;
                }
                writer().commit();
                // Searchers first, catalogue second: until the catalogue is updated, every document this commit
                // changed is still pending, so a document and chunks read meanwhile from two versions (the
                // catalogue's and a searcher's) are refused by stageVectors. The other order let a backfill pair
                // the new catalogue entry with the old chunks and stage that over the new version.
                searcherManager.maybeRefreshBlocking();
                Map<Long, StagedChange> done = staged.headMap(committedSeqNo, true);
                List<String> committed = new ArrayList<>(done.size());
                for (StagedChange entry : done.values()) { // in sequence order: the last change of an id wins
                    if (entry instanceof CollectionChange change) {
                        if (change.createdAtMillis() == null) {
                            registeredCollections.remove(change.name());
                        } else {
                            registeredCollections.put(change.name(), change.createdAtMillis());
                        }
                        continue;
                    }
                    DocumentChange change = (DocumentChange) entry;
                    putCatalogue(change.docId(), change.record().orElse(null));
                    if (change.vectorSpace() == null) {
                        vectorSpaceByDocId.remove(change.docId());
                    } else {
                        vectorSpaceByDocId.put(change.docId(), change.vectorSpace());
                    }
                    pendingByDocId.computeIfPresent(change.docId(), (id, n) -> n == 1 ? null : n - 1);
                    committed.add(change.docId());
                }
                done.clear();
                if (failure != null) {
                    throw failure;
                }
                return committed;
            }
        } finally {
            closeLock.readLock().unlock();
        }
    }

    /** Whether there are staged changes not yet committed. */
    public boolean hasStagedChanges() {
        return !staged.isEmpty();
    }

    /** The committed catalogue entry of a document. */
    public Optional<DocumentRecord> document(String docId) {
        return Optional.ofNullable(catalogue.get(docId));
    }

    /** A committed document with these original bytes (by SHA-256), if any. */
    public Optional<DocumentRecord> documentBySha256(String sha256) {
        Set<String> ids = docIdsBySha256.get(sha256);
        if (ids == null) {
            return Optional.empty();
        }
        return ids.stream().sorted().map(catalogue::get).filter(java.util.Objects::nonNull).findFirst();
    }

    /** The committed document with this file name in this collection, if any. */
    public Optional<DocumentRecord> documentByName(String collection, String fileName) {
        String docId = docIdByName.get(new NameKey(collection, fileName));
        return docId == null ? Optional.empty() : Optional.ofNullable(catalogue.get(docId));
    }

    /**
     * Every collection: the default one (""), the registered ones and those that exist through their documents,
     * ordered by name, with their committed document counts.
     */
    public List<CollectionRecord> collections() {
        Map<String, int[]> counts = new java.util.TreeMap<>();
        Map<String, Long> oldest = new java.util.HashMap<>();
        counts.put("", new int[1]);
        registeredCollections.keySet().forEach(name -> counts.putIfAbsent(name, new int[1]));
        for (DocumentRecord record : catalogue.values()) {
            counts.computeIfAbsent(record.collection(), name -> new int[1])[0]++;
            oldest.merge(record.collection(), record.ingestedAtMillis(), Math::min);
        }
        List<CollectionRecord> all = new ArrayList<>(counts.size());
        counts.forEach((name, count) -> {
            Long registered = registeredCollections.get(name);
            long created = registered != null ? registered : oldest.getOrDefault(name, 0L);
            all.add(new CollectionRecord(name, count[0], created, registered != null));
        });
        return all;
    }

    /** Whether a collection of this name exists: registered, or holding a committed document. */
    public boolean collectionExists(String name) {
        return name.isEmpty() || registeredCollections.containsKey(name)
                || catalogue.values().stream().anyMatch(d -> d.collection().equals(name));
    }

    /** Stages the registration of a collection, so it exists while it has no documents. */
    public void stageCollection(String name, long createdAtMillis) throws IOException {
        requireNamed(name);
        closeLock.readLock().lock();
        try {
            stageRegistration(name, createdAtMillis);
        } finally {
            closeLock.readLock().unlock();
        }
    }

    private void stageRegistration(String name, long createdAtMillis) throws IOException {
        stage(writer -> writer.updateDocument(new Term(IndexFields.COLLECTION_KEY, name),
                collectionDocument(name, createdAtMillis)), new CollectionChange(name, createdAtMillis));
    }

    private void stageUnregistration(String name) throws IOException {
        stage(writer -> writer.deleteDocuments(new Term(IndexFields.COLLECTION_KEY, name)),
                new CollectionChange(name, null));
    }

    private static void requireNamed(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("the default collection has no name to register, rename or delete");
        }
    }

    /**
     * Stages moving every committed document of collection {@code from} to {@code to} (their ids, chunks and
     * vectors unchanged) and {@code to}'s registration in place of {@code from}'s. All of it is staged with no commit
     * in between, so the commit that follows holds the whole rename or, after a crash before it, none of it.
     *
     * <p>The caller keeps every other change of these documents out meanwhile (the ingest pipeline holds its
     * collection lock and has awaited their jobs). A staged, uncommitted change of one of them is overtaken: a
     * document is moved as last committed, and vectors staged for it and not committed are dropped (the vector
     * backfill computes them again).
     *
     * @return the moved documents, as committed before the move
     */
    public List<DocumentRecord> stageCollectionRename(String from, String to) throws IOException {
        requireNamed(from);
        requireNamed(to);
        closeLock.readLock().lock();
        try {
            synchronized (commitMonitor) { // no commit between the first and the last change: it commits whole
                List<DocumentRecord> moved = documentsIn(from);
                for (DocumentRecord record : moved) {
                    stageMove(record, to);
                }
                Long created = registeredCollections.get(from);
                stageRegistration(to, created != null ? created : System.currentTimeMillis());
                stageUnregistration(from);
                return moved;
            }
        } finally {
            closeLock.readLock().unlock();
        }
    }

    /**
     * Stages the removal of every committed document of a collection and of its registration, with no commit in
     * between (as {@link #stageCollectionRename}). Returns the removed documents.
     */
    public List<DocumentRecord> stageCollectionDelete(String name) throws IOException {
        closeLock.readLock().lock();
        try {
            synchronized (commitMonitor) {
                List<DocumentRecord> removed = documentsIn(name);
                for (DocumentRecord record : removed) {
                    stageDelete(record.docId());
                }
                if (!name.isEmpty()) {
                    stageUnregistration(name);
                }
                return removed;
            }
        } finally {
            closeLock.readLock().unlock();
        }
    }

    private List<DocumentRecord> documentsIn(String collection) {
        return catalogue.values().stream().filter(d -> d.collection().equals(collection))
                .sorted(Comparator.comparing(DocumentRecord::docId)).toList();
    }

    /** Stages a committed document again in another collection: same id, chunks and vectors (as committed). */
    private void stageMove(DocumentRecord record, String collection) throws IOException {
        DocumentRecord moved = new DocumentRecord(record.docId(), collection, record.fileName(), record.title(),
                record.format(), record.sha256(), record.sizeBytes(), record.charCount(), record.chunkCount(),
                record.pageCount(), record.originalPath(), record.ingestedAtMillis());
        VectorSpace space = vectorSpace(record.docId()).orElse(null);
        IndexSearcher searcher = searcherManager.acquire();
        List<Document> block;
        try {
            List<ChunkRecord> chunks = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc hit : searchAll(searcher, chunksOf(record.docId()))) {
                chunks.add(StoredChunks.chunk(stored.document(hit.doc)));
                vectors.add(space == null ? null : vectorOf(searcher, hit.doc, space));
            }
            if (vectors.contains(null)) { // no vectors (yet), or not all of them in this snapshot
                space = null;
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingInt(i -> chunks.get(i).index()));
            List<ChunkRecord> sortedChunks = order.stream().map(chunks::get).toList();
            List<float[]> sortedVectors = space == null ? null : order.stream().map(vectors::get).toList();
            block = block(moved, sortedChunks, space, sortedVectors);
        } finally {
            searcherManager.release(searcher);
        }
        synchronized (stripe(record.docId())) {
            stage(writer -> writer.updateDocuments(new Term(IndexFields.DOC_ID, record.docId()), block),
                    new DocumentChange(record.docId(), Optional.of(moved), space == null ? null : space.label()));
        }
    }

    private static float[] vectorOf(IndexSearcher searcher, int doc, VectorSpace space) throws IOException {
        return LuceneSnapshot.storedVector(searcher, doc, space);
    }

    private void putCatalogue(String docId, DocumentRecord record) {
        DocumentRecord old = record == null ? catalogue.remove(docId) : catalogue.put(docId, record);
        if (old != null) {
            docIdByName.remove(new NameKey(old.collection(), old.fileName()), docId);
            docIdsBySha256.computeIfPresent(old.sha256(), (sha, ids) -> {
                ids.remove(docId);
                return ids.isEmpty() ? null : ids;
            });
        }
        if (record != null) {
            docIdByName.put(new NameKey(record.collection(), record.fileName()), docId);
            docIdsBySha256.computeIfAbsent(record.sha256(), sha -> ConcurrentHashMap.newKeySet()).add(docId);
        }
    }

    /** The vector space of a committed document's vectors; empty when it has none (or is unknown). */
    public Optional<VectorSpace> vectorSpace(String docId) {
        String label = vectorSpaceByDocId.get(docId);
        return label == null ? Optional.empty() : Optional.of(VectorSpace.fromLabel(label));
    }

    /**
     * Committed documents whose chunks have no vectors of {@code space} and no change staged, oldest ingestion
     * first: what a vector backfill has left to do.
     */
    public List<DocumentRecord> documentsWithoutVectors(VectorSpace space) {
        String label = space.label();
        List<DocumentRecord> todo = new ArrayList<>();
        for (DocumentRecord record : catalogue.values()) {
            if (!label.equals(vectorSpaceByDocId.get(record.docId())) && !pendingByDocId.containsKey(record.docId())) {
                todo.add(record);
            }
        }
        todo.sort(Comparator.comparingLong(DocumentRecord::ingestedAtMillis).thenComparing(DocumentRecord::docId));
        return todo;
    }

    /** The committed catalogue, ordered by file name then id. */
    public List<DocumentRecord> documents() {
        List<DocumentRecord> all = new ArrayList<>(catalogue.values());
        all.sort(Comparator.comparing(DocumentRecord::fileName).thenComparing(DocumentRecord::docId));
        return all;
    }

    /** The committed chunks of a document, in chunk order (empty if unknown). */
    public List<ChunkRecord> chunks(String docId) throws IOException {
        Query query = chunksOf(docId);
        IndexSearcher searcher = searcherManager.acquire();
        try {
            List<ChunkRecord> chunks = new ArrayList<>();
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc hit : searchAll(searcher, query)) {
                chunks.add(StoredChunks.chunk(stored.document(hit.doc)));
            }
            chunks.sort(Comparator.comparingInt(ChunkRecord::index));
            return chunks;
        } finally {
            searcherManager.release(searcher);
        }
    }

    private static Query chunksOf(String docId) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.DOC_ID, docId)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(IndexFields.KIND, IndexFields.KIND_CHUNK)), BooleanClause.Occur.FILTER)
                .build();
    }

    /** Number of committed chunk documents (all documents). */
    public int chunkCount() throws IOException {
        IndexSearcher searcher = searcherManager.acquire();
        try {
            return searcher.count(new TermQuery(new Term(IndexFields.KIND, IndexFields.KIND_CHUNK)));
        } finally {
            searcherManager.release(searcher);
        }
    }

    /** The manager of searchers on the last commit (acquire/release); used by {@code ChunkSearcher}. */
    public SearcherManager searcherManager() {
        return searcherManager;
    }

    /** Discards staged changes and closes; nothing uncommitted is written. */
    @Override
    public void close() throws IOException {
        closeLock.writeLock().lock();
        try {
            searcherManager.close();
            if (writer != null) {
                writer.rollback(); // commit-on-close is off: releases the write lock without committing
            }
        } finally {
            closeLock.writeLock().unlock();
            directory.close();
        }
    }

    private void loadCatalogue() throws IOException {
        IndexSearcher searcher = searcherManager.acquire();
        try {
            StoredFields stored = searcher.storedFields();
            Query documents = new TermQuery(new Term(IndexFields.KIND, IndexFields.KIND_DOCUMENT));
            for (ScoreDoc hit : searchAll(searcher, documents)) {
                Document entry = stored.document(hit.doc);
                DocumentRecord record = StoredChunks.documentRecord(entry);
                putCatalogue(record.docId(), record);
                String space = entry.get(IndexFields.VECTOR_SPACE);
                if (space != null) {
                    vectorSpaceByDocId.put(record.docId(), space);
                }
            }
            Query collections = new TermQuery(new Term(IndexFields.KIND, IndexFields.KIND_COLLECTION));
            for (ScoreDoc hit : searchAll(searcher, collections)) {
                Document entry = stored.document(hit.doc);
                registeredCollections.put(entry.get(IndexFields.COLLECTION_KEY),
                        StoredChunks.longValue(entry, IndexFields.CREATED_AT));
            }
        } finally {
            searcherManager.release(searcher);
        }
    }

    private static ScoreDoc[] searchAll(IndexSearcher searcher, Query query) throws IOException {
        int count = searcher.count(query);
        if (count == 0) {
            return new ScoreDoc[0];
        }
        TopDocs top = searcher.search(query, count);
        return top.scoreDocs;
    }

    private Document chunkDocument(DocumentRecord document, ChunkRecord chunk) {
        Document doc = new Document();
        doc.add(new StringField(IndexFields.KIND, IndexFields.KIND_CHUNK, Field.Store.NO));
        doc.add(new StringField(IndexFields.DOC_ID, document.docId(), Field.Store.YES));
        doc.add(new StringField(IndexFields.COLLECTION, document.collection(), Field.Store.YES));
        doc.add(new StoredField(IndexFields.FILE_NAME, document.fileName()));
        doc.add(new StoredField(IndexFields.TITLE, document.title()));
        doc.add(new StoredField(IndexFields.CHUNK_INDEX, chunk.index()));
        doc.add(new StoredField(IndexFields.START, chunk.start()));
        doc.add(new StoredField(IndexFields.END, chunk.end()));
        doc.add(new StoredField(IndexFields.PAGE, chunk.page()));
        doc.add(new StoredField(IndexFields.HEADING, chunk.headingPath()));
        doc.add(new StoredField(IndexFields.TEXT, chunk.text()));
        String indexed = profile.indexedText(document, chunk);
        for (IndexProfile.SearchField field : profile.searchFields()) {
            doc.add(new Field(field.name(), indexed, schema.searchFieldType()));
        }
        return doc;
    }

    /**
     * The catalogue entry has every search field, empty. Why: a field missing from some documents of a segment gets
     * sparse norms, and then every term written by a flush or a merge walks a sparse norms iterator to compute its
     * impacts; that made merges most of the ingest time. An empty field gets a norm (zero) but no postings, so the
     * norms stay dense while the BM25 statistics (document count and total length of the field, both counted over
     * postings) are exactly those of the chunks alone. Giving the entry real text there (its title) was measured to
     * cost retrieval quality.
     */
    private Document catalogueDocument(DocumentRecord d) {
        Document doc = withEmptySearchFields();
        doc.add(new StringField(IndexFields.KIND, IndexFields.KIND_DOCUMENT, Field.Store.NO));
        doc.add(new StringField(IndexFields.DOC_ID, d.docId(), Field.Store.YES));
        doc.add(new StringField(IndexFields.COLLECTION, d.collection(), Field.Store.YES));
        doc.add(new StoredField(IndexFields.FILE_NAME, d.fileName()));
        doc.add(new StoredField(IndexFields.TITLE, d.title()));
        doc.add(new StoredField(IndexFields.FORMAT, d.format()));
        doc.add(new StringField(IndexFields.SHA256, d.sha256(), Field.Store.YES));
        doc.add(new StoredField(IndexFields.SIZE_BYTES, d.sizeBytes()));
        doc.add(new StoredField(IndexFields.CHAR_COUNT, d.charCount()));
        doc.add(new StoredField(IndexFields.CHUNK_COUNT, d.chunkCount()));
        doc.add(new StoredField(IndexFields.PAGE_COUNT, d.pageCount()));
        doc.add(new StoredField(IndexFields.ORIGINAL_PATH, d.originalPath()));
        doc.add(new StoredField(IndexFields.INGESTED_AT, d.ingestedAtMillis()));
        return doc;
    }

    private Document withEmptySearchFields() {
        Document doc = new Document();
        for (IndexProfile.SearchField field : profile.searchFields()) {
            doc.add(new Field(field.name(), "", schema.searchFieldType()));
        }
        return doc;
    }

    /** A registered collection's entry: searchable by nothing, with empty search fields for dense norms. */
    private Document collectionDocument(String name, long createdAtMillis) {
        Document doc = withEmptySearchFields();
        doc.add(new StringField(IndexFields.KIND, IndexFields.KIND_COLLECTION, Field.Store.NO));
        doc.add(new StringField(IndexFields.COLLECTION_KEY, name, Field.Store.YES));
        doc.add(new StoredField(IndexFields.CREATED_AT, createdAtMillis));
        return doc;
    }
}
