package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.CollectionRecord;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingests files into a data folder: hash, dedup, parse, chunk, store the original, index, commit, acknowledge.
 *
 * <p>Guarantees (see {@link ChunkStore} for the index side):
 * <ul>
 *   <li>A file is reported {@link IngestStage#DONE} only after the index commit holding it has returned, i.e. it
 *       is on disk; a crash at any moment loses nothing acknowledged and never exposes part of a document
 *       ({@link DurableCommit}, {@link GroupCommitter}).</li>
 *   <li>The same bytes are never indexed twice (SHA-256 against the catalogue and the files in flight:
 *       {@link ContentReservations}).</li>
 *   <li>Re-ingesting a file name with new content replaces the old chunks in one commit; files with the same
 *       document id are processed one after the other, in submission order ({@link PerDocumentOrder}).</li>
 *   <li>Searches keep running, on the last committed state, while files are ingested. The pipeline only writes:
 *       searches and the catalogue are read from the {@link ChunkStore} it was opened with (see {@link #open}).</li>
 * </ul>
 *
 * <p>Threads: {@code workers} threads parse, chunk and stage ({@link FileStager}; Lucene analysis runs there, in
 * parallel); one committer thread ({@link GroupCommitter}) commits whatever has been staged and then acknowledges
 * those files. Workers go on with the next files while a commit runs. This class only admits, orders and waits
 * for files; the steps live in the classes named above.
 */
public final class IngestPipeline implements Closeable {

    private final ChunkStore index;
    private final OriginalsBookkeeping originals;
    private final WordBoxBookkeeping wordBoxes;
    private final IngestListener listener;
    private final DurableCommit durableCommit;
    private final PerDocumentOrder order = new PerDocumentOrder();
    private final UnfinishedJobs unfinished = new UnfinishedJobs();
    private final GroupCommitter committer;
    private final FileStager stager;
    private final ExecutorService workers;
    /** Files submitted and not yet staged (or failed): {@code maxQueued} waiting plus one per worker. */
    private final Semaphore queueSlots;
    private final AtomicLong nextJobId = new AtomicLong(1);
    /** Jobs submitted and not yet final, for an interrupted {@link #close} to end (see there). */
    private final Set<IngestJob> live = ConcurrentHashMap.newKeySet();
    /** Held to admit a file, delete a document or change a collection: see {@link CollectionEditor}. */
    private final ReentrantLock collectionLock = new ReentrantLock();
    private final DocumentIdResolver ids;
    private final CollectionEditor collections;
    private volatile VectorBackfill vectors;
    private volatile boolean closed;

    private IngestPipeline(IngestOptions options, ChunkStore index, OriginalsBookkeeping originals,
                           WordBoxBookkeeping wordBoxes) {
        this.index = index;
        this.originals = originals;
        this.wordBoxes = wordBoxes;
        this.listener = options.listener();
        this.durableCommit = new DurableCommit(index, originals);
        this.ids = new DocumentIdResolver(index);
        this.collections = new CollectionEditor(index, durableCommit, originals, wordBoxes, order,
                collectionLock);
        ContentReservations reservations = new ContentReservations(index);
        this.committer = new GroupCommitter(this::commitAndWakeVectors, reservations, originals, wordBoxes,
                unfinished, options.commitWindowMillis());
        this.stager = new FileStager(options, index, reservations, originals, wordBoxes, committer);
        this.queueSlots = new Semaphore(options.maxQueued() + options.workers());
        this.workers = workerThreads(options.workers());
    }

    /**
     * Starts ingesting into {@code index}, the writable index of {@code folder}, after removing the originals and OCR
     * word boxes that no committed document references (what a crash between storing them and committing leaves
     * behind: {@link OriginalsBookkeeping}, {@link WordBoxBookkeeping}).
     *
     * <p>The caller opens the index (a {@link ChunkStore}: {@link ChunkIndex#open} or a cluster, with the options'
     * profile) and closes it after this
     * pipeline: the pipeline only writes, and whoever reads (searches, the catalogue, the chunks) does so through
     * that same index, whose searchers see each commit as soon as it is published. One index object for both
     * sides is required, not a choice: a second writer on the folder fails to get its write lock (Lucene's
     * {@code IndexWriter} documentation), and a read-only index would not see the writer's commits.
     *
     * @throws IllegalArgumentException when the index is read-only, of another folder, or of another profile
     */
    public static IngestPipeline open(DataFolder folder, ChunkStore index, IngestOptions options) throws IOException {
        if (index.readOnly()) {
            throw new IllegalArgumentException("the index " + index.location() + " was opened read-only");
        }
        if (index instanceof ChunkIndex local
                && !local.directory().toAbsolutePath().normalize().equals(folder.index())) {
            // The clean-up below would remove every original of this folder that the other index does not know.
            throw new IllegalArgumentException("the index " + local.directory() + " is not the index of the data"
                    + " folder " + folder.root());
        }
        if (index.profile() != options.profile()) {
            throw new IllegalArgumentException("the index was opened as " + index.profile().label()
                    + " but the ingest options say " + options.profile().label());
        }
        return new IngestPipeline(options, index, OriginalsBookkeeping.open(folder.originals(), index),
                WordBoxBookkeeping.open(folder.wordBoxes(), index));
    }

    /**
     * Queues a file; returns at once unless {@code maxQueued} files are already waiting, then blocks until one
     * leaves the queue. Watch the job with {@link IngestJob#completion()} or the options' listener.
     */
    public IngestJob submit(IngestSource source) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the ingest pipeline is closed");
        }
        queueSlots.acquire();
        collectionLock.lock();
        try {
            String docId = ids.resolve(source.collection(), source.fileName());
            IngestJob job = new IngestJob(nextJobId.getAndIncrement(), source, docId, listener);
            unfinished.started();
            live.add(job);
            job.completion().whenComplete((progress, error) -> {
                live.remove(job);
                order.finished(job);
                unfinished.finished();
            });
            job.moveTo(IngestStage.QUEUED);
            order.schedule(job, () -> workers.execute(() -> stageAndFreeSlot(job)));
            return job;
        } catch (RuntimeException | Error e) {
            queueSlots.release();
            throw e;
        } finally {
            collectionLock.unlock();
        }
    }

    /**
     * Creates an empty collection (knowledge base), kept while it has no documents.
     *
     * @throws CollectionException when the name is invalid or taken
     */
    public CollectionRecord createCollection(String name) throws IOException {
        return collections.create(name);
    }

    /**
     * Renames a collection: its documents move in one commit, keeping their ids.
     *
     * @throws CollectionException when a name is invalid, {@code from} does not exist or is the default collection,
     *                             or {@code to} is taken
     */
    public CollectionRecord renameCollection(String from, String to) throws IOException {
        return collections.rename(from, to);
    }

    /**
     * Deletes a collection, its documents and their originals (and word boxes), in one commit. Returns how many documents went.
     *
     * @throws CollectionException when it does not exist or is the default collection
     */
    public int deleteCollection(String name) throws IOException {
        return collections.delete(name);
    }

    /**
     * Starts the background stage that gives every committed chunk a vector of {@code embedder}'s model
     * ({@link VectorBackfill}); documents stay searchable by keywords meanwhile. At most once per pipeline; it stops
     * when the pipeline is closed.
     */
    public synchronized VectorBackfill startVectors(io.yinghuo.retrieval.vectors.Embedder embedder) {
        if (vectors != null) {
            throw new IllegalStateException("the vector backfill has already been started");
        }
        if (closed) {
            throw new IllegalStateException("the ingest pipeline is closed");
        }
        VectorBackfill backfill = new VectorBackfill(index, embedder, durableCommit::commit);
        vectors = backfill;
        backfill.start();
        return backfill;
    }

    /** The vector backfill, when {@link #startVectors} started one. */
    public Optional<VectorBackfill> vectors() {
        return Optional.ofNullable(vectors);
    }

    private void commitAndWakeVectors() throws IOException {
        durableCommit.commit();
        VectorBackfill backfill = vectors;
        if (backfill != null) {
            backfill.wake();
        }
    }

    /** Submits and waits for the final state. */
    public IngestProgress ingest(IngestSource source) throws InterruptedException {
        return submit(source).completion().join();
    }

    /** Blocks until every submitted file has reached a final stage. */
    public void awaitIdle() throws InterruptedException {
        unfinished.awaitNone();
    }

    /**
     * Removes a document: all its chunks and its catalogue entry in one durable commit, then its stored original and
     * OCR word boxes.
     * Waits for any ingestion of the same document id first. Returns whether the document existed.
     */
    public boolean delete(String docId) throws IOException, InterruptedException {
        collectionLock.lockInterruptibly(); // never while its collection is renamed (the move would restore it)
        try {
            order.awaitJobsOf(docId);
            Optional<DocumentRecord> record = index.document(docId);
            if (record.isEmpty()) {
                return false;
            }
            index.stageDelete(docId);
            durableCommit.commit();
            originals.removeDeleted(record.get().originalPath());
            wordBoxes.removeDeleted(record.get());
            return true;
        } finally {
            collectionLock.unlock();
        }
    }

    /** Finishes every submitted file (committed or failed). The index stays open: its opener closes it. */
    @Override
    public void close() {
        synchronized (this) { // startVectors holds the same lock: no backfill starts after this
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            awaitIdle();
            workers.shutdown();
            committer.finish();
            VectorBackfill backfill = vectors;
            if (backfill != null) {
                backfill.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
            committer.abandon();
            // shutdownNow drops the files still queued for a worker, and the abandoned committer acknowledges none
            // of those handed to it: end them all, or whoever waits for one (an upload request, a folder ingest)
            // would wait forever. A file a worker is still on may end first with a reason of its own.
            for (IngestJob job : List.copyOf(live)) {
                job.finish(IngestOutcome.FAILED, "the ingest pipeline was closed before this file was done",
                        "interrupted", List.of(), true);
            }
            VectorBackfill backfill = vectors;
            if (backfill != null) {
                backfill.requestStop();
            }
        }
    }

    private void stageAndFreeSlot(IngestJob job) {
        try {
            stager.stage(job);
        } finally {
            // The file has left the workers: let the next one in while this one waits for its commit, so that the
            // workers keep analyzing during commits.
            queueSlots.release();
        }
    }

    private static ExecutorService workerThreads(int count) {
        AtomicInteger threadNumber = new AtomicInteger();
        return Executors.newFixedThreadPool(count, r -> {
            Thread t = new Thread(r, "yinghuo-ingest-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
