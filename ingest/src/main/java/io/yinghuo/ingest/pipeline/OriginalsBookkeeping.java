package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the stored originals in step with the index over a file's life: saved before its document is staged,
 * forced to disk before a commit that refers to it is published, removed once no commit refers to it.
 *
 * <p>Why a class of its own: the {@link OriginalStore} only stores files; which of them are still unsynced and
 * which are unreferenced depends on where each document is in ingestion, and getting that order wrong either loses
 * an acknowledged document's original in a crash or leaves files nothing refers to. All of that order is here.
 */
final class OriginalsBookkeeping {

    private final OriginalStore store;
    /**
     * Originals saved and not yet forced to disk. A worker adds a file's original here before staging the file, so
     * every document a commit holds has its original here or already synced (see {@link #syncPending}).
     */
    private final Set<String> unsynced = ConcurrentHashMap.newKeySet();

    private OriginalsBookkeeping(OriginalStore store) {
        this.store = store;
    }

    /**
     * Opens the originals folder and removes the originals that no committed document of {@code index} references
     * (what a crash between storing an original and committing its document leaves behind).
     */
    static OriginalsBookkeeping open(Path root, ChunkStore index) throws IOException {
        OriginalStore store = new OriginalStore(root);
        Set<String> referenced = new HashSet<>();
        for (DocumentRecord document : index.documents()) {
            referenced.add(document.originalPath());
        }
        store.retainOnly(referenced);
        return new OriginalsBookkeeping(store);
    }

    /**
     * Stores a file's original, not yet durably, and registers it for the next commit's sync. Call before staging
     * the document that refers to it; returns its path relative to the originals folder.
     */
    String saveBeforeStaging(IngestJob job) throws IOException {
        String path = store.save(job.docId(), job.source().fileName(), job.sha256, job.source().bytes());
        unsynced.add(path);
        return path;
    }

    /** Removes an original saved for a file that failed before it was staged: no commit can refer to it. */
    void discardUnstaged(String relativePath) {
        if (relativePath == null) {
            return;
        }
        unsynced.remove(relativePath);
        removeQuietly(relativePath);
    }

    /**
     * Forces every registered original to disk. Run between preparing a commit and publishing it: every document
     * the commit holds was staged, and so had its original registered, before that.
     */
    void syncPending() throws IOException {
        List<String> pending = new ArrayList<>(unsynced);
        store.sync(pending);
        pending.forEach(unsynced::remove);
    }

    /** After the commit that published the job's new version: removes the version it replaced, if stored apart. */
    void removeReplaced(IngestJob job) {
        if (job.replaced != null && !job.replaced.originalPath().equals(job.record.originalPath())) {
            // An old original left behind is removed at the next open; the document itself is committed.
            removeQuietly(job.replaced.originalPath());
        }
    }

    /** After the commit that deleted its document: removes an original. */
    void removeDeleted(String relativePath) throws IOException {
        store.remove(relativePath);
    }

    private void removeQuietly(String relativePath) {
        try {
            store.remove(relativePath);
        } catch (IOException | RuntimeException e) {
            // Left for the next open's clean-up of unreferenced originals.
        }
    }
}
