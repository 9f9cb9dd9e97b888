package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
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

/**
 * The background stage that gives committed chunks their vectors: documents are searchable by keywords as soon as
 * ingestion commits them, and this stage embeds them afterwards, one document at a time, oldest first, and commits
 * each document's vectors as one block ({@link ChunkIndex#stageVectors}).
 *
 * <p>Resumable by construction: what is left to do is read from the index ({@link
 * ChunkIndex#documentsWithoutVectors}), so after a restart or a crash the stage goes on with the first document
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

    private final ChunkIndex index;
    private final Embedder embedder;
    private final GroupCommitter.Commit commit;
    private final Thread thread;
    private final Object monitor = new Object();
    /** Guarded by monitor. */
    private boolean wakeUp;
    private boolean stopping;
    private String state = "loading";
    private String error = "";
    private String currentDocument = "";
    private int currentDone;
    private int currentTotal;
    private long embeddedChunks;
    private long embeddingNanos;

    VectorBackfill(ChunkIndex index, Embedder embedder, GroupCommitter.Commit commit) {
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
            wakeUp = true;
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
            while (!stopping && !"failed".equals(state) && !("idle".equals(state) && !wakeUp)) {
                monitor.wait();
            }
        }
        return progress();
    }

    /** Stops after the current batch; vectors not committed are embedded again next time. */
    @Override
    public void close() throws InterruptedException {
        synchronized (monitor) {
            stopping = true;
            monitor.notifyAll();
        }
        thread.interrupt();
        thread.join();
    }

    private void run() {
        try {
            embedder.embedPassages(List.of("预热")); // loads the model now, not at the first question
            while (true) {
                Optional<DocumentRecord> next = nextDocument();
                if (next.isEmpty()) {
                    return;
                }
                embedDocument(next.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.error("the vector backfill stopped; documents stay searchable by keywords", e);
            synchronized (monitor) {
                state = "failed";
                error = String.valueOf(e.getMessage());
                monitor.notifyAll();
            }
            return;
        }
        synchronized (monitor) {
            state = "stopped";
            monitor.notifyAll();
        }
    }

    /** The next document to embed, waiting for one; empty when stopping. */
    private Optional<DocumentRecord> nextDocument() throws InterruptedException {
        while (true) {
            List<DocumentRecord> todo;
            synchronized (monitor) {
                wakeUp = false;
            }
            todo = index.documentsWithoutVectors(embedder.space());
            synchronized (monitor) {
                if (stopping) {
                    return Optional.empty();
                }
                if (!todo.isEmpty()) {
                    state = "running";
                    return Optional.of(todo.get(0));
                }
                state = "idle";
                monitor.notifyAll();
                while (!wakeUp && !stopping) {
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
            embedder.foreground().awaitIdle();
            synchronized (monitor) {
                if (stopping) {
                    throw new InterruptedException("stopping");
                }
            }
            List<String> passages = new ArrayList<>(BATCH);
            for (ChunkRecord chunk : chunks.subList(from, Math.min(chunks.size(), from + BATCH))) {
                passages.add(Embedder.passageText(document.title(), chunk.headingPath(), chunk.text()));
            }
            long started = System.nanoTime();
            vectors.addAll(embedder.embedPassages(passages));
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
}
