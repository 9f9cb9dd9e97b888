package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.Chunk;
import io.yinghuo.ingest.parse.DocumentParseException;
import io.yinghuo.ingest.parse.ParsedDocument;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.search.ChunkSearcher;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingests files into a data folder: hash, dedup, parse, chunk, store the original, index, commit, acknowledge.
 *
 * <p>Guarantees (see {@link ChunkIndex} for the index side):
 * <ul>
 *   <li>A file is reported {@link IngestStage#DONE} only after the index commit holding it has returned, i.e. it
 *       is on disk; a crash at any moment loses nothing acknowledged and never exposes part of a document.</li>
 *   <li>The same bytes are never indexed twice (SHA-256 against the catalogue and the files in flight).</li>
 *   <li>Re-ingesting a file name with new content replaces the old chunks in one commit; files with the same
 *       document id are processed one after the other, in submission order.</li>
 *   <li>Searches keep running, on the last committed state, while files are ingested.</li>
 * </ul>
 *
 * <p>Threads: {@code workers} threads parse, chunk and stage (Lucene analysis runs there, in parallel); one
 * committer thread commits whatever has been staged (group commit: one fsync for all files that finished while the
 * previous commit ran) and then acknowledges those files. Workers go on with the next files while a commit runs.
 */
public final class IngestPipeline implements Closeable {

    private final IngestOptions options;
    private final ChunkIndex index;
    private final ChunkSearcher searcher;
    private final OriginalStore originals;
    private final ExecutorService workers;
    private final Thread committer;
    /**
     * Files staged in the index and waiting for their commit. Bounded so that a slow disk (long fsyncs) holds back
     * the workers instead of piling up files in memory.
     */
    private final BlockingQueue<IngestJob> staged = new LinkedBlockingQueue<>(4 * MAX_BATCH);
    /** Files submitted and not yet staged (or failed): {@code maxQueued} waiting plus one per worker. */
    private final Semaphore queueSlots;
    private final AtomicLong nextJobId = new AtomicLong(1);
    private final AtomicInteger unfinished = new AtomicInteger();
    private final Object idleLock = new Object();
    /** The last submitted job of each document id: a new job for the same id waits for it. */
    private final Map<String, IngestJob> lastJobByDocId = new HashMap<>();
    /** Content hashes of files between the dedup check and their final stage, with their document ids. */
    private final Map<String, String> shaInFlight = new HashMap<>();
    private volatile boolean closed;
    /**
     * Originals saved and not yet forced to disk. A worker adds a file's original here before staging the file, so
     * every document a commit holds has its original here or already synced (see {@link #commitDurably}).
     */
    private final Set<String> unsyncedOriginals = ConcurrentHashMap.newKeySet();

    /** Most files acknowledged by one commit. */
    private static final int MAX_BATCH = 256;

    private static final IngestJob STOP = new IngestJob(0, IngestSource.of("-", new byte[0]), "-", IngestListener.NONE);

    private IngestPipeline(IngestOptions options, ChunkIndex index, OriginalStore originals) {
        this.options = options;
        this.index = index;
        this.searcher = new ChunkSearcher(index);
        this.originals = originals;
        this.queueSlots = new Semaphore(options.maxQueued() + options.workers());
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "yinghuo-ingest-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.committer = new Thread(this::commitLoop, "yinghuo-ingest-commit");
        this.committer.setDaemon(true);
        this.committer.start();
    }

    /**
     * Opens the data folder (creating it if needed) and removes originals that no committed document references
     * (what a crash between storing an original and committing leaves behind).
     *
     * @throws IllegalArgumentException when another process has the data folder open
     */
    public static IngestPipeline open(DataFolder folder, IngestOptions options) throws IOException {
        ChunkIndex index = ChunkIndex.open(folder.index(), options.profile());
        try {
            OriginalStore originals = new OriginalStore(folder.originals());
            Set<String> referenced = new HashSet<>();
            for (DocumentRecord document : index.documents()) {
                referenced.add(document.originalPath());
            }
            originals.retainOnly(referenced);
            return new IngestPipeline(options, index, originals);
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
    }

    public ChunkIndex index() {
        return index;
    }

    public ChunkSearcher searcher() {
        return searcher;
    }

    public OriginalStore originals() {
        return originals;
    }

    /**
     * Queues a file; returns at once unless {@code maxQueued} files are already waiting, then blocks until one
     * leaves the queue. Watch the job with {@link IngestJob#completion()} or the options' listener.
     */
    public IngestJob submit(IngestSource source) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the ingest pipeline is closed");
        }
        String docId = DocumentIds.forFile(source.collection(), source.fileName());
        queueSlots.acquire();
        IngestJob job = new IngestJob(nextJobId.getAndIncrement(), source, docId, options.listener());
        unfinished.incrementAndGet();
        job.completion().whenComplete((progress, error) -> finished(job));
        job.moveTo(IngestStage.QUEUED);
        IngestJob previous;
        synchronized (lastJobByDocId) {
            previous = lastJobByDocId.put(docId, job);
        }
        if (previous == null) {
            workers.execute(() -> process(job));
        } else {
            previous.completion().whenComplete((p, e) -> workers.execute(() -> process(job)));
        }
        return job;
    }

    /** Submits and waits for the final state. */
    public IngestProgress ingest(IngestSource source) throws InterruptedException {
        return submit(source).completion().join();
    }

    /** Blocks until every submitted file has reached a final stage. */
    public void awaitIdle() throws InterruptedException {
        synchronized (idleLock) {
            while (unfinished.get() > 0) {
                idleLock.wait();
            }
        }
    }

    /**
     * Removes a document: all its chunks and its catalogue entry in one durable commit, then its stored original.
     * Waits for any ingestion of the same document id first. Returns whether the document existed.
     */
    public boolean delete(String docId) throws IOException, InterruptedException {
        IngestJob previous;
        synchronized (lastJobByDocId) {
            previous = lastJobByDocId.get(docId);
        }
        if (previous != null) {
            previous.completion().join();
        }
        Optional<DocumentRecord> record = index.document(docId);
        if (record.isEmpty()) {
            return false;
        }
        index.stageDelete(docId);
        commitDurably();
        originals.remove(record.get().originalPath());
        return true;
    }

    /** Finishes every submitted file, then closes the index. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            awaitIdle();
            workers.shutdown();
            staged.put(STOP);
            committer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
            committer.interrupt();
        } finally {
            index.close();
        }
    }

    private void process(IngestJob job) {
        boolean shaReserved = false;
        String unstagedOriginal = null;
        try {
            job.moveTo(IngestStage.PARSING);
            byte[] bytes = job.source().bytes();
            job.sha256 = DocumentIds.sha256(bytes);
            Optional<String> skip = reserveContent(job);
            if (skip.isPresent()) {
                return;
            }
            shaReserved = true;
            ParsedDocument parsed = options.parser().parse(job.source().fileName(), bytes);
            if (parsed == null || parsed.text() == null) {
                throw new IllegalStateException("the parser returned no document");
            }
            if (parsed.text().isBlank()) {
                throw new IllegalArgumentException("no text found in the file (scanned images need OCR, which is"
                        + " not supported)");
            }
            job.counts(parsed.text().length(), 0);
            job.moveTo(IngestStage.CHUNKING);
            List<ChunkRecord> chunks = toRecords(parsed, options.chunker().chunk(parsed));
            job.counts(parsed.text().length(), chunks.size());
            job.moveTo(IngestStage.INDEXING);
            unstagedOriginal = originals.save(job.docId(), job.source().fileName(), job.sha256, bytes);
            unsyncedOriginals.add(unstagedOriginal); // before staging: see commitDurably
            job.record = new DocumentRecord(job.docId(), job.source().collection(), job.source().fileName(),
                    titleOf(parsed, job.source().fileName()), parsed.format() == null ? "" : parsed.format(),
                    job.sha256, bytes.length, parsed.text().length(), chunks.size(), pageCount(parsed),
                    unstagedOriginal, System.currentTimeMillis());
            index.stageReplace(job.record, chunks);
            unstagedOriginal = null; // a commit may now publish it
            staged.put(job);
            shaReserved = false; // the committer releases it
        } catch (Throwable e) {
            discardUnstaged(unstagedOriginal);
            job.finish(IngestOutcome.FAILED, describe(e));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            if (shaReserved) {
                releaseContent(job);
            }
            // The file has left the workers: let the next one in while this one waits for its commit, so that the
            // workers keep analyzing during commits.
            queueSlots.release();
        }
    }

    /** Removes an original saved for a file that failed before it was staged: no commit can refer to it. */
    private void discardUnstaged(String relativePath) {
        if (relativePath == null) {
            return;
        }
        unsyncedOriginals.remove(relativePath);
        try {
            originals.remove(relativePath);
        } catch (IOException | RuntimeException e) {
            // Left for the next open's clean-up of unreferenced originals.
        }
    }

    /**
     * Decides, atomically with respect to other files, whether this content needs indexing. Finishes the job and
     * returns a reason when it does not; otherwise reserves the hash until the job is final.
     */
    private Optional<String> reserveContent(IngestJob job) {
        synchronized (shaInFlight) {
            Optional<DocumentRecord> current = index.document(job.docId());
            if (current.isPresent() && current.get().sha256().equals(job.sha256)) {
                job.finish(IngestOutcome.UNCHANGED, "already ingested with the same content");
                return Optional.of("unchanged");
            }
            Optional<DocumentRecord> same = index.documentBySha256(job.sha256);
            if (same.isPresent() && !same.get().docId().equals(job.docId())) {
                job.finish(IngestOutcome.DUPLICATE, "same content as " + same.get().fileName()
                        + " (document " + same.get().docId() + ")");
                return Optional.of("duplicate");
            }
            String other = shaInFlight.get(job.sha256);
            if (other != null && !other.equals(job.docId())) {
                job.finish(IngestOutcome.DUPLICATE, "same content as a file being ingested (document " + other
                        + ")");
                return Optional.of("duplicate");
            }
            shaInFlight.put(job.sha256, job.docId());
            job.replaced = current.orElse(null);
            return Optional.empty();
        }
    }

    private void releaseContent(IngestJob job) {
        synchronized (shaInFlight) {
            shaInFlight.remove(job.sha256, job.docId());
        }
    }

    /**
     * Commits the index after forcing to disk the originals of everything it holds, so that a published commit
     * never refers to an original a crash could lose. The originals are synced once the commit is prepared: every
     * document in it was staged before, so its original was registered before that.
     */
    private void commitDurably() throws IOException {
        index.commit(() -> {
            List<String> pending = new ArrayList<>(unsyncedOriginals);
            originals.sync(pending);
            pending.forEach(unsyncedOriginals::remove);
        });
    }

    private void commitLoop() {
        while (true) {
            List<IngestJob> batch = new ArrayList<>();
            try {
                batch.add(staged.take());
                collectBatch(batch);
            } catch (InterruptedException e) {
                return;
            }
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                commitAndAcknowledge(batch);
            }
            if (stop) {
                return;
            }
        }
    }

    /**
     * Group commit: while other files are still being parsed or analyzed, waits up to the commit window for them
     * to be staged too, so that a folder of small files costs a few commits instead of one per file. A lone file
     * is committed at once.
     */
    private void collectBatch(List<IngestJob> batch) throws InterruptedException {
        long deadline = System.nanoTime() + options.commitWindowMillis() * 1_000_000L;
        while (batch.size() < MAX_BATCH && !batch.contains(STOP)) {
            staged.drainTo(batch);
            if (unfinished.get() <= batch.size()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            IngestJob next = staged.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void commitAndAcknowledge(List<IngestJob> batch) {
        try {
            commitDurably();
        } catch (Throwable e) {
            for (IngestJob job : batch) {
                releaseContent(job);
                job.finish(IngestOutcome.FAILED, "index commit failed: " + describe(e));
            }
            return;
        }
        for (IngestJob job : batch) {
            releaseContent(job);
            if (job.replaced != null && !job.replaced.originalPath().equals(job.record.originalPath())) {
                try {
                    originals.remove(job.replaced.originalPath());
                } catch (IOException | RuntimeException e) {
                    // An old original left behind is removed at the next open; the document itself is committed.
                }
            }
            job.finish(job.replaced != null ? IngestOutcome.REPLACED : IngestOutcome.ADDED, "");
        }
    }

    private void finished(IngestJob job) {
        synchronized (lastJobByDocId) {
            lastJobByDocId.remove(job.docId(), job);
        }
        if (unfinished.decrementAndGet() == 0) {
            synchronized (idleLock) {
                idleLock.notifyAll();
            }
        }
    }

    private static List<ChunkRecord> toRecords(ParsedDocument parsed, List<Chunk> chunks) {
        if (chunks == null || chunks.isEmpty()) {
            throw new IllegalStateException("the chunker produced no chunks for a non-empty text");
        }
        String text = parsed.text();
        List<ChunkRecord> records = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            if (c.start() < 0 || c.end() > text.length() || c.start() > c.end()
                    || !text.regionMatches(c.start(), c.text(), 0, c.text().length())
                    || c.text().length() != c.end() - c.start()) {
                throw new IllegalStateException("chunk " + i + " does not match the text at ["
                        + c.start() + ", " + c.end() + ")");
            }
            records.add(new ChunkRecord(i, c.start(), c.end(), c.text(), Math.max(1, c.page()),
                    c.headingPath() == null ? "" : c.headingPath()));
        }
        return records;
    }

    private static String titleOf(ParsedDocument parsed, String fileName) {
        if (parsed.title() != null && !parsed.title().isBlank()) {
            return parsed.title().strip();
        }
        String base = fileName.substring(fileName.replace('\\', '/').lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    private static int pageCount(ParsedDocument parsed) {
        int pages = 1;
        if (parsed.pages() != null) {
            for (ParsedDocument.PageSpan page : parsed.pages()) {
                pages = Math.max(pages, page.page());
            }
        }
        return pages;
    }

    /** One line a user can act on. */
    static String describe(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory while processing the file (give Java more memory with -Xmx)";
        }
        String message = e.getMessage();
        if (e instanceof DocumentParseException parse) {
            return parse.detail(); // its message repeats the file name, which the progress line already shows
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return message == null ? e.getClass().getSimpleName() : message;
        }
        if (e instanceof java.io.UncheckedIOException && e.getCause() != null) {
            return describe(e.getCause());
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}
