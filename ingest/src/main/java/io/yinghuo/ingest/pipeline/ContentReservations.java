package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Makes sure the same bytes are never indexed twice: a file's content hash is checked against the committed
 * catalogue and against the files still in flight, and then held until that file's ingestion is final.
 *
 * <p>Why a class of its own: the catalogue only knows committed documents, so two copies submitted together would
 * both pass a catalogue check; the check and the reservation must happen as one step with respect to every other
 * file, which is what this class's lock (its monitor: both methods are synchronized) is for.
 */
final class ContentReservations {

    private final ChunkStore index;
    /** Content hashes of files between the dedup check and their final stage, with their document ids. */
    private final Map<String, String> inFlight = new HashMap<>();

    ContentReservations(ChunkStore index) {
        this.index = index;
    }

    /**
     * Decides whether the job's content ({@link IngestJob#sha256}) needs indexing. When it does not, finishes the job
     * (unchanged or duplicate) and returns false; otherwise reserves the hash until {@link #release}, records the
     * committed version the job replaces, and returns true.
     */
    synchronized boolean reserve(IngestJob job) {
        Optional<DocumentRecord> current = index.document(job.docId());
        if (current.isPresent() && current.get().sha256().equals(job.sha256)) {
            job.finish(IngestOutcome.UNCHANGED, "already ingested with the same content", "unchanged",
                    java.util.List.of(), false);
            return false;
        }
        Optional<DocumentRecord> same = index.documentBySha256(job.sha256);
        if (same.isPresent() && !same.get().docId().equals(job.docId())) {
            job.finish(IngestOutcome.DUPLICATE, "same content as " + same.get().fileName()
                    + " (document " + same.get().docId() + ")", "duplicate",
                    java.util.List.of(same.get().fileName(), same.get().docId()), false);
            return false;
        }
        String other = inFlight.get(job.sha256);
        if (other != null && !other.equals(job.docId())) {
            job.finish(IngestOutcome.DUPLICATE, "same content as a file being ingested (document " + other
                    + ")", "duplicate_in_flight", java.util.List.of(other), false);
            return false;
        }
        inFlight.put(job.sha256, job.docId());
        job.replaced = current.orElse(null);
        return true;
    }

    /** Frees the job's hash once the job is final (committed, or failed). */
    synchronized void release(IngestJob job) {
        inFlight.remove(job.sha256, job.docId());
    }
}
