package io.yinghuo.retrieval.solr;

import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.CollectionRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.index.IndexFields;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.index.SearchSnapshot;
import io.yinghuo.retrieval.index.StagingChecks;
import io.yinghuo.retrieval.vectors.VectorSpace;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The chunk store on a SolrCloud collection (configset {@code configset/conf} of this package, see
 * {@link SolrCollectionSetup}).
 *
 * <p>Staging is client-side: staged changes wait in this object and go to Solr at {@link #commit}, in one update
 * request followed by one hard commit ({@code commit=true, waitSearcher=true}: durable on every replica and visible
 * to new searches when it returns). A file is reported done by the ingest pipeline only after that commit returned.
 * If Solr cannot be reached, the commit throws {@link SolrUnavailableException}, the changes it held are dropped and
 * their files fail with a retryable error; nothing is reported done that is not in a completed hard commit. The
 * catalogue methods read Solr, so with Solr down an upload is refused at once ({@link java.io.UncheckedIOException}
 * from the pipeline's id resolution).
 *
 * <p>What a concurrent search sees. Every Solr document of a Yinghuo document (its chunks and catalogue entry) has
 * an id {@code docId!…}, so the compositeId router keeps them on one shard. A new version overwrites the ids it
 * shares with the old one and a delete-by-query in the same update request removes the old version's surplus
 * chunks (those stamped with an older commit version). A hard commit opens a new searcher on each replica at once
 * for all of that: <b>per replica, a search sees a document either wholly in its old version or wholly in its new
 * one</b>. Across shards a commit is not atomic: while replicas open their new searchers one after another, one
 * search may see document A already replaced and document B not yet. With several app instances writing to one
 * collection, another instance's commit that falls between this instance's update request and its commit makes
 * this instance's changes visible early, and while the update request is being applied: a replaced document may
 * then show, for the few milliseconds until this instance's own commit, its new chunks beside the old version's
 * surplus chunks. A file is still reported done only after this instance's own commit.
 *
 * <p>Two instances replacing the same document at once: every Solr document carries the version of the commit
 * that wrote it (time-ordered), the collection's {@code DocBasedVersionConstraintsProcessorFactory} drops an add
 * older than the stored entry, and a replacement deletes the document's entries of older versions. The newer
 * commit's version wins whatever the order in which the requests arrive; the one interleaving left (the newer
 * commit's whole request applied before the older one's, the older version longer) leaves the older version's
 * surplus chunks beside the newer version until the document is next replaced or deleted.
 *
 * <p>Several app instances can ingest into one collection: ids are derived from the document id, itself derived
 * from collection and file name, so the same file ingested by two instances ends as one document, never two; the
 * content-hash check ({@link #documentBySha256}) reads the committed catalogue, so two instances given the same
 * bytes under two names within one commit interval can both index them (one app instance never does).
 *
 * <p>Scores: the collection uses Solr's {@code ExactStatsCache}, so BM25 on several shards uses the statistics of
 * the whole collection and equals the embedded index's for the same documents.
 */
public final class SolrChunkStore implements ChunkStore {

    /** Ids of a delete-by-query, at most: Solr's default limit of boolean clauses is 1024. */
    private static final int MAX_IDS_PER_DELETE = 400;

    private final SolrAccess solr;
    private final IndexProfile profile = IndexProfile.CHINESE_HYBRID;
    private final boolean readOnly;
    /** Staged document changes by id (a later change of a document replaces an earlier one: the last wins). */
    private final Map<String, StagedDocument> stagedDocuments = new LinkedHashMap<>();
    /** Staged collection registrations (creation time) and unregistrations (null), by name. */
    private final Map<String, Long> stagedCollections = new LinkedHashMap<>();
    /** Documents of the commit in progress: still pending until it returns. */
    private final Set<String> committing = new HashSet<>();
    private final Object commitMonitor = new Object();

    /** A staged document: its new Solr documents, or none for a deletion. */
    private record StagedDocument(String docId, List<SolrInputDocument> block) {
    }

    /** The last commit version this instance used: versions of one instance strictly increase. */
    private long lastVersion;
    /** Low bits of this instance's versions (see {@link #nextVersion}). */
    private final long instanceId = new java.security.SecureRandom().nextInt(1024);

    private SolrChunkStore(SolrAccess solr, boolean readOnly) {
        this.solr = solr;
        this.readOnly = readOnly;
    }

    /**
     * Opens the collection at {@code location}, creating it from the shipped configset (one shard, one replica)
     * when it does not exist and {@code readOnly} is false; use {@link SolrCollectionSetup} for more shards.
     *
     * @throws SolrUnavailableException when Solr cannot be reached
     * @throws IllegalArgumentException when a read-only open finds no collection
     */
    public static SolrChunkStore open(SolrLocation location, boolean readOnly) throws IOException {
        SolrAccess solr = new SolrAccess(location);
        try {
            SolrCollectionSetup setup = new SolrCollectionSetup(solr);
            if (!setup.exists()) {
                if (readOnly) {
                    throw new IllegalArgumentException("there is no collection " + location.display()
                            + " (create it with yinghuo solr-init)");
                }
                setup.create(1, 1);
            }
            return new SolrChunkStore(solr, readOnly);
        } catch (IOException | RuntimeException e) {
            solr.close();
            throw e;
        }
    }

    @Override
    public IndexProfile profile() {
        return profile;
    }

    @Override
    public String location() {
        return solr.location().display();
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    private void requireWritable() {
        if (readOnly) {
            throw new IllegalStateException("the index " + location() + " was opened read-only");
        }
    }

    @Override
    public void stageReplace(DocumentRecord document, List<ChunkRecord> chunks) {
        StagingChecks.requireChunks(document, chunks);
        stage(document, chunks, null, null);
    }

    private void stage(DocumentRecord document, List<ChunkRecord> chunks, VectorSpace space, List<float[]> vectors) {
        requireWritable();
        List<SolrInputDocument> block = SolrRecords.block(profile, document, chunks, space, vectors);
        synchronized (stagedDocuments) {
            stagedDocuments.remove(document.docId()); // re-inserted last: the order of staging is kept
            stagedDocuments.put(document.docId(), new StagedDocument(document.docId(), block));
        }
    }

    @Override
    public void stageDelete(String docId) {
        requireWritable();
        synchronized (stagedDocuments) {
            stagedDocuments.remove(docId);
            stagedDocuments.put(docId, new StagedDocument(docId, null));
        }
    }

    @Override
    public boolean stageVectors(DocumentRecord document, List<ChunkRecord> chunks, VectorSpace space,
                                List<float[]> vectors) {
        StagingChecks.requireVectors(document, chunks, space, vectors);
        synchronized (stagedDocuments) {
            if (pending(document.docId()) || !document.equals(document(document.docId()).orElse(null))) {
                return false;
            }
            stage(document, chunks, space, vectors);
            return true;
        }
    }

    private boolean pending(String docId) {
        synchronized (stagedDocuments) {
            return stagedDocuments.containsKey(docId) || committing.contains(docId);
        }
    }

    @Override
    public void stageCollection(String name, long createdAtMillis) {
        requireNamed(name);
        requireWritable();
        synchronized (stagedDocuments) {
            stagedCollections.put(name, createdAtMillis);
        }
    }

    @Override
    public List<DocumentRecord> stageCollectionRename(String from, String to) throws IOException {
        requireNamed(from);
        requireNamed(to);
        requireWritable();
        synchronized (commitMonitor) { // no commit of this instance between the first and the last change
            List<DocumentRecord> moved = documentsIn(from);
            for (DocumentRecord record : moved) {
                DocumentRecord renamed = new DocumentRecord(record.docId(), to, record.fileName(), record.title(),
                        record.format(), record.sha256(), record.sizeBytes(), record.charCount(),
                        record.chunkCount(), record.pageCount(), record.originalPath(), record.ingestedAtMillis());
                Optional<VectorSpace> space = vectorSpace(record.docId());
                List<SolrDocument> docs = chunkDocuments(record.docId(), space.orElse(null));
                List<ChunkRecord> chunks = docs.stream().map(SolrRecords::chunk).toList();
                List<float[]> vectors = space.isEmpty() ? null
                        : docs.stream().map(d -> SolrRecords.vector(d, space.get().fieldName())).toList();
                boolean whole = vectors != null && vectors.stream().allMatch(v -> v != null);
                stage(renamed, chunks, whole ? space.get() : null, whole ? vectors : null);
            }
            Long created = registeredCollections().get(from);
            synchronized (stagedDocuments) {
                stagedCollections.put(to, created != null ? created : System.currentTimeMillis());
                stagedCollections.put(from, null);
            }
            return moved;
        }
    }

    @Override
    public List<DocumentRecord> stageCollectionDelete(String name) {
        requireWritable();
        synchronized (commitMonitor) {
            List<DocumentRecord> removed = documentsIn(name);
            for (DocumentRecord record : removed) {
                stageDelete(record.docId());
            }
            if (!name.isEmpty()) {
                synchronized (stagedDocuments) {
                    stagedCollections.put(name, null);
                }
            }
            return removed;
        }
    }

    private static void requireNamed(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("the default collection has no name to register, rename or delete");
        }
    }

    private List<DocumentRecord> documentsIn(String collection) {
        return documents().stream().filter(d -> d.collection().equals(collection))
                .sorted(Comparator.comparing(DocumentRecord::docId)).toList();
    }

    /**
     * Sends every staged change in one update request and hard-commits it (see the class comment for what that
     * guarantees). {@code beforePublish} runs first, so what the staged documents refer to is durable before any
     * of them can become visible.
     */
    @Override
    public List<String> commit(BeforePublish beforePublish) throws IOException {
        requireWritable();
        synchronized (commitMonitor) {
            List<StagedDocument> documents;
            Map<String, Long> collections;
            synchronized (stagedDocuments) {
                documents = new ArrayList<>(stagedDocuments.values());
                collections = new LinkedHashMap<>(stagedCollections);
                stagedDocuments.clear();
                stagedCollections.clear();
                documents.forEach(d -> committing.add(d.docId()));
            }
            try {
                IOException failure = null;
                try {
                    beforePublish.run();
                } catch (IOException e) {
                    failure = e;
                }
                if (!documents.isEmpty() || !collections.isEmpty()) {
                    solr.request(update(documents, collections, nextVersion()), "update");
                    solr.request(new UpdateRequest().setAction(UpdateRequest.ACTION.COMMIT, true, true), "commit");
                }
                if (failure != null) {
                    throw failure;
                }
                return documents.stream().map(StagedDocument::docId).toList();
            } finally {
                synchronized (stagedDocuments) {
                    documents.forEach(d -> committing.remove(d.docId()));
                }
            }
        }
    }

    /**
     * The version of a commit: wall-clock milliseconds, a per-instance counter and this instance's random id in the
     * low bits ({@code (millis * 1024 + counter) * 1024 + instance}), strictly increasing within the instance and
     * never equal between two instances whose ids differ (a tie would let each entry keep whichever add arrived
     * first, mixing two versions). Between instances the later clock wins a race on one document.
     */
    private long nextVersion() {
        long step = Math.max((lastVersion >> 10) + 1, System.currentTimeMillis() * 1024);
        lastVersion = step << 10 | instanceId;
        return lastVersion;
    }

    /**
     * The new versions (every entry stamped with this commit's version), the removal of the older versions of the
     * documents they replace, the deletions and the collection entries: one request.
     */
    private static UpdateRequest update(List<StagedDocument> documents, Map<String, Long> collections,
                                        long version) {
        UpdateRequest update = new UpdateRequest();
        List<String> replaced = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (StagedDocument staged : documents) {
            if (staged.block() == null) {
                deleted.add(staged.docId());
            } else {
                for (SolrInputDocument doc : staged.block()) {
                    doc.setField(SolrRecords.DOC_VERSION, version);
                }
                update.add(staged.block());
                replaced.add(staged.docId());
            }
        }
        for (int from = 0; from < replaced.size(); from += MAX_IDS_PER_DELETE) {
            // the entries of older commits: the surplus chunks of a longer previous version
            update.deleteByQuery(SolrAccess.anyOf(IndexFields.DOC_ID,
                    replaced.subList(from, Math.min(replaced.size(), from + MAX_IDS_PER_DELETE)))
                    + " AND " + SolrRecords.DOC_VERSION + ":[* TO " + (version - 1) + "]");
        }
        for (int from = 0; from < deleted.size(); from += MAX_IDS_PER_DELETE) {
            update.deleteByQuery(SolrAccess.anyOf(IndexFields.DOC_ID,
                    deleted.subList(from, Math.min(deleted.size(), from + MAX_IDS_PER_DELETE))));
        }
        collections.forEach((name, created) -> {
            if (created == null) {
                update.deleteById(SolrRecords.collectionId(name));
            } else {
                SolrInputDocument entry = SolrRecords.collectionEntry(name, created);
                entry.setField(SolrRecords.DOC_VERSION, version);
                update.add(entry);
            }
        });
        return update;
    }

    @Override
    public boolean hasStagedChanges() {
        synchronized (stagedDocuments) {
            return !stagedDocuments.isEmpty() || !stagedCollections.isEmpty();
        }
    }

    private List<SolrDocument> entries(String q, int rows, String sort) {
        SolrQuery query = new SolrQuery(q);
        query.addFilterQuery(SolrAccess.is(IndexFields.KIND, IndexFields.KIND_DOCUMENT));
        if (rows > 0) {
            query.setRows(rows);
            if (sort != null) {
                query.set("sort", sort);
            }
            return solr.queryUnchecked(query).getResults();
        }
        return solr.all(query, sort);
    }

    @Override
    public Optional<DocumentRecord> document(String docId) {
        return first(entries(SolrAccess.is(IndexFields.DOC_ID, docId), 1, null));
    }

    private static Optional<DocumentRecord> first(List<SolrDocument> docs) {
        return docs.isEmpty() ? Optional.empty() : Optional.of(SolrRecords.documentRecord(docs.get(0)));
    }

    @Override
    public Optional<DocumentRecord> documentBySha256(String sha256) {
        return first(entries(SolrAccess.is(IndexFields.SHA256, sha256), 1, IndexFields.DOC_ID + " asc"));
    }

    @Override
    public Optional<DocumentRecord> documentByName(String collection, String fileName) {
        return first(entries(SolrAccess.is(IndexFields.COLLECTION, collection) + " AND "
                + SolrAccess.is(IndexFields.FILE_NAME, fileName), 1, null));
    }

    @Override
    public List<DocumentRecord> documents() {
        List<DocumentRecord> all = new ArrayList<>(entries("*:*", 0, null).stream()
                .map(SolrRecords::documentRecord).toList());
        all.sort(Comparator.comparing(DocumentRecord::fileName).thenComparing(DocumentRecord::docId));
        return all;
    }

    private Map<String, Long> registeredCollections() {
        SolrQuery query = new SolrQuery(SolrAccess.is(IndexFields.KIND, IndexFields.KIND_COLLECTION));
        Map<String, Long> registered = new TreeMap<>();
        for (SolrDocument doc : solr.all(query, null)) {
            registered.put(SolrRecords.string(doc, IndexFields.COLLECTION_KEY),
                    ((Number) doc.getFirstValue(IndexFields.CREATED_AT)).longValue());
        }
        return registered;
    }

    @Override
    public List<CollectionRecord> collections() {
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, Long> oldest = new java.util.HashMap<>();
        Map<String, Long> registered = registeredCollections();
        counts.put("", new int[1]);
        registered.keySet().forEach(name -> counts.putIfAbsent(name, new int[1]));
        for (DocumentRecord record : documents()) {
            counts.computeIfAbsent(record.collection(), name -> new int[1])[0]++;
            oldest.merge(record.collection(), record.ingestedAtMillis(), Math::min);
        }
        List<CollectionRecord> all = new ArrayList<>(counts.size());
        counts.forEach((name, count) -> {
            Long created = registered.get(name);
            all.add(new CollectionRecord(name, count[0], created != null ? created : oldest.getOrDefault(name, 0L),
                    created != null));
        });
        return all;
    }

    @Override
    public boolean collectionExists(String name) {
        if (name.isEmpty()) {
            return true;
        }
        SolrQuery query = new SolrQuery("(" + SolrAccess.is(IndexFields.KIND, IndexFields.KIND_COLLECTION) + " AND "
                + SolrAccess.is(IndexFields.COLLECTION_KEY, name) + ") OR ("
                + SolrAccess.is(IndexFields.KIND, IndexFields.KIND_DOCUMENT) + " AND "
                + SolrAccess.is(IndexFields.COLLECTION, name) + ")");
        query.setRows(0);
        return solr.queryUnchecked(query).getResults().getNumFound() > 0;
    }

    @Override
    public Optional<VectorSpace> vectorSpace(String docId) {
        SolrQuery query = new SolrQuery(SolrAccess.is(IndexFields.DOC_ID, docId));
        query.addFilterQuery(SolrAccess.is(IndexFields.KIND, IndexFields.KIND_DOCUMENT));
        query.setFields(IndexFields.VECTOR_SPACE);
        query.setRows(1);
        List<SolrDocument> docs = solr.queryUnchecked(query).getResults();
        Object label = docs.isEmpty() ? null : docs.get(0).getFirstValue(IndexFields.VECTOR_SPACE);
        return label == null ? Optional.empty() : Optional.of(VectorSpace.fromLabel(label.toString()));
    }

    @Override
    public List<DocumentRecord> documentsWithoutVectors(VectorSpace space) {
        List<DocumentRecord> todo = new ArrayList<>();
        for (SolrDocument doc : entries("*:* -" + SolrAccess.is(IndexFields.VECTOR_SPACE, space.label()), 0, null)) {
            DocumentRecord record = SolrRecords.documentRecord(doc);
            if (!pending(record.docId())) {
                todo.add(record);
            }
        }
        todo.sort(Comparator.comparingLong(DocumentRecord::ingestedAtMillis).thenComparing(DocumentRecord::docId));
        return todo;
    }

    @Override
    public List<ChunkRecord> chunks(String docId) {
        return chunkDocuments(docId, null).stream().map(SolrRecords::chunk).toList();
    }

    /** A document's committed chunk documents in chunk order, with the vectors of {@code space} when given. */
    private List<SolrDocument> chunkDocuments(String docId, VectorSpace space) {
        SolrQuery query = new SolrQuery(SolrAccess.is(IndexFields.DOC_ID, docId));
        query.addFilterQuery(SolrAccess.is(IndexFields.KIND, IndexFields.KIND_CHUNK));
        query.setFields(SolrRecords.CHUNK_FIELDS + (space == null ? "" : "," + space.fieldName()));
        return solr.all(query, IndexFields.CHUNK_INDEX + " asc");
    }

    @Override
    public int chunkCount() throws IOException {
        SolrQuery query = new SolrQuery(SolrAccess.is(IndexFields.KIND, IndexFields.KIND_CHUNK));
        query.setRows(0);
        return Math.toIntExact(solr.query(query).getResults().getNumFound());
    }

    @Override
    public SearchSnapshot snapshot() {
        return new SolrSnapshot(solr);
    }

    /** Discards staged changes and closes the HTTP client; nothing uncommitted is sent. */
    @Override
    public void close() throws IOException {
        synchronized (stagedDocuments) {
            stagedDocuments.clear();
            stagedCollections.clear();
        }
        solr.close();
    }
}
