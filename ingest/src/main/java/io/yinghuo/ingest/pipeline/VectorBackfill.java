package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.retrieval.vectors.VectorSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The background stage that gives committed chunks their vectors: documents are searchable by keywords as soon as
 * ingestion commits them, and this stage embeds them afterwards, one document at a time, oldest first, and commits
 * each document's vectors as one block ({@link ChunkStore#stageVectors}).
 *
 * <p>Resumable by construction: what is left to do is read from the index ({@link
 * ChunkStore#documentsWithoutVectors}), so after a restart or a crash the stage goes on with the first document
 * whose vectors were not committed, and a document is never given vectors twice. A new embedding model (another
 * {@link VectorSpace}) makes every document "without vectors" again: they are re-embedded, and searches use only
 * vectors of the model they embed queries with.
 *
 * <p>Searches go first: embedding runs in small batches and waits between them while a search is running
 * ({@link io.yinghuo.retrieval.vectors.ForegroundGate}).
 */
public final class VectorBackfill implements AutoCloseable {

    /** Chunks embedded per model call: small enough that a search waits at most one batch for the cores. */
    static final int BATCH = 4;

    private static final Logger LOG = LoggerFactory.getLogger(VectorBackfill.class);

    private final ChunkStore index;
    private final Embedder embedder;
    private final GroupCommitter.Commit commit;
    private final Thread thread;
    private final Object monitor = new Object();
    /** Guarded by monitor. wake() calls so far, and how many of them the last look for work had seen. */
    private long wakeUps;
    private long wakeUpsSeen;
    private boolean stopping;
    /**
     * Whether the thread is waiting for searches or embedding, where {@link #close} may interrupt it. Never while
     * it uses the index: an interrupt during Lucene I/O closes a file channel, which Lucene treats as a tragic
     * event and answers by closing the index writer.
     */
    private boolean interruptible;
    private String state = "loading";
    private String error = "";
    private String currentDocument = "";
    private int currentDone;
    private int currentTotal;
    private long embeddedChunks;
    private long embeddingNanos;

    VectorBackfill(ChunkStore index, Embedder embedder, GroupCommitter.Commit commit) {
        this.index = index;
        this.embedder = embedder;
        this.commit = commit;
        this.thread = new Thread(this::run, "yinghuo-vectors");
        this.thread.setDaemon(true);
        this.thread.setPriority(Thread.MIN_PRIORITY);
    }

    void start() {
        thread.start();
    }

    public VectorSpace space() {
        return embedder.space();
    }

    /** Something was committed: look for documents without vectors. */
    void wake() {
        synchronized (monitor) {
            wakeUps++;
            monitor.notifyAll();
        }
    }

    /** The current progress (counts from the committed index). */
    public VectorProgress progress() {
        VectorSpace space = embedder.space();
        List<DocumentRecord> documents = index.documents();
        long chunksTotal = 0;
        long chunksDone = 0;
        int documentsDone = 0;
        for (DocumentRecord document : documents) {
            chunksTotal += document.chunkCount();
            if (index.vectorSpace(document.docId()).map(space::equals).orElse(false)) {
                chunksDone += document.chunkCount();
                documentsDone++;
            }
        }
        synchronized (monitor) {
            double perSecond = embeddingNanos == 0 ? 0 : embeddedChunks * 1e9 / embeddingNanos;
            return new VectorProgress(space.label(), state, chunksDone, chunksTotal, documentsDone, documents.size(),
                    currentDocument, currentDone, currentTotal, perSecond, error);
        }
    }

    /**
     * Blocks until every committed document has its vectors (or the stage failed or stopped); returns the
     * progress then.
     */
    public VectorProgress awaitComplete() throws InterruptedException {
        synchronized (monitor) {
            while (!finished()) {
                monitor.wait();
            }
        }
        return progress();
    }

    /**
     * As {@link #awaitComplete()}, waiting at most {@code timeout}: empty when the backfill is still going then (a
     * caller that shows progress asks again).
     */
    public Optional<VectorProgress> awaitComplete(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (monitor) {
            for (long left = deadline - System.nanoTime(); !finished(); left = deadline - System.nanoTime()) {
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
        }
        return Optional.of(progress());
    }

    /** Stopped, failed, or idle with nothing committed since it last looked. Hold the monitor. */
    private boolean finished() {
        return stopping || "failed".equals(state) || "idle".equals(state) && wakeUps == wakeUpsSeen;
    }

    /**
     * Stops after the current batch; vectors not committed are embedded again next time. A commit under way is
     * finished first: the thread is interrupted only while it waits for searches or embeds, never during index I/O.
     */
    @Override
    public void close() throws InterruptedException {
        requestStop();
        thread.join();
    }

    /** Asks the stage to stop after its current batch or commit, without waiting for it (it is a daemon thread). */
    void requestStop() {
        synchronized (monitor) {
            stopping = true;
            monitor.notifyAll();
            if (interruptible) {
                thread.interrupt();
            }
        }
    }

    private void run() {
        try {
            // Loads the model now, not at the first question.
            interruptibly(() -> embedder.embedPassages(List.of("预热")));
            while (true) {
                Optional<DocumentRecord> next = nextDocument();
                if (next.isEmpty()) {
                    break;
                }
                embedDocument(next.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | Error e) {
            // Errors too (a native library that does not load, ExceptionInInitializerError, out of memory): the
            // thread ends either way, and awaitComplete must not wait for it forever.
            if (stopping()) { // e.g. a model that gave up when close() interrupted it
                LOG.info("the vector backfill stopped while embedding: {}", e.toString());
            } else {
                LOG.error("the vector backfill stopped; documents stay searchable by keywords", e);
                synchronized (monitor) {
                    state = "failed";
                    error = e.getMessage() == null ? e.toString() : e.getMessage();
                    monitor.notifyAll();
                }
                return;
            }
        }
        synchronized (monitor) {
            state = "stopped";
            monitor.notifyAll();
        }
    }

    /** The next document to embed, waiting for one; empty when stopping. */
    private Optional<DocumentRecord> nextDocument() throws InterruptedException {
        while (true) {
            long seen;
            synchronized (monitor) {
                seen = wakeUps;
            }
            List<DocumentRecord> todo = index.documentsWithoutVectors(embedder.space());
            synchronized (monitor) {
                if (stopping) {
                    return Optional.empty();
                }
                if (!todo.isEmpty()) {
                    state = "running";
                    return Optional.of(todo.get(0));
                }
                if (wakeUps != seen) {
                    continue; // committed while the index was read: look again
                }
                // Idle and nothing committed since the look: only now may awaitComplete return.
                wakeUpsSeen = seen;
                state = "idle";
                monitor.notifyAll();
                while (wakeUps == seen && !stopping) {
                    monitor.wait();
                }
            }
        }
    }

    private void embedDocument(DocumentRecord document) throws IOException, InterruptedException {
        List<ChunkRecord> chunks = index.chunks(document.docId());
        if (chunks.size() != document.chunkCount()) {
            return; // changed since the catalogue was read; the next round sees the new version
        }
        synchronized (monitor) {
            currentDocument = document.docId();
            currentDone = 0;
            currentTotal = chunks.size();
        }
        List<float[]> vectors = new ArrayList<>(chunks.size());
        for (int from = 0; from < chunks.size(); from += BATCH) {
            interruptibly(() -> {
                embedder.foreground().awaitIdle();
                return null;
            });
            List<String> passages = new ArrayList<>(BATCH);
            for (ChunkRecord chunk : chunks.subList(from, Math.min(chunks.size(), from + BATCH))) {
                passages.add(Embedder.passageText(document.title(), chunk.headingPath(), chunk.text()));
            }
            long started = System.nanoTime();
            vectors.addAll(interruptibly(() -> embedder.embedPassages(passages)));
            synchronized (monitor) {
                embeddingNanos += System.nanoTime() - started;
                embeddedChunks += passages.size();
                currentDone = vectors.size();
            }
        }
        if (index.stageVectors(document, chunks, embedder.space(), vectors)) {
            commit.run();
        }
        synchronized (monitor) {
            currentDocument = "";
            currentDone = 0;
            currentTotal = 0;
        }
    }

    private boolean stopping() {
        synchronized (monitor) {
            return stopping;
        }
    }

    /** Work that may be interrupted by {@link #close} (it does not touch the index). */
    @FunctionalInterface
    private interface Interruptible<T> {
        T run() throws InterruptedException;
    }

    /**
     * Runs {@code work} where {@link #close} may interrupt it, then clears any interrupt it got (so that the index
     * I/O that follows does not meet one) and throws if a stop was asked for meanwhile.
     */
    private <T> T interruptibly(Interruptible<T> work) throws InterruptedException {
        synchronized (monitor) {
            if (stopping) {
                throw new InterruptedException("stopping");
            }
            interruptible = true;
        }
        T result;
        try {
            result = work.run();
        } finally {
            synchronized (monitor) {
                interruptible = false;
            }
            Thread.interrupted(); // only close() interrupts this thread, and it has set stopping first
        }
        if (stopping()) {
            throw new InterruptedException("stopping");
        }
        return result;
    }
}
