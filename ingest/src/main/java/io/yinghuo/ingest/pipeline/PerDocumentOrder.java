package io.yinghuo.ingest.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the jobs of one document id one after the other, in submission order, while jobs of different documents run
 * in parallel.
 *
 * <p>Why: two versions of one file name uploaded in quick succession must end with the later one in the index, and
 * a deletion must not race an ingestion of the same document. Each new job waits for the completion of the last one
 * submitted for its id, which needs no lock held while waiting.
 */
final class PerDocumentOrder {

    /** The last submitted job of each document id with a job not yet final. */
    private final Map<String, IngestJob> lastJobByDocId = new HashMap<>();

    /** Runs {@code start} now, or once the previous job of the same document id is final. */
    void schedule(IngestJob job, Runnable start) {
        IngestJob previous;
        synchronized (lastJobByDocId) {
            previous = lastJobByDocId.put(job.docId(), job);
        }
        if (previous == null) {
            start.run();
        } else {
            previous.completion().whenComplete((progress, error) -> start.run());
        }
    }

    /** Waits until every job submitted so far for the document id is final. */
    void awaitJobsOf(String docId) {
        IngestJob previous;
        synchronized (lastJobByDocId) {
            previous = lastJobByDocId.get(docId);
        }
        if (previous != null) {
            previous.completion().join(); // never completes exceptionally; see IngestJob#completion
        }
    }

    /** Waits until every job submitted so far into the collection is final. */
    void awaitJobsIn(String collection) {
        List<IngestJob> jobs;
        synchronized (lastJobByDocId) {
            jobs = lastJobByDocId.values().stream()
                    .filter(job -> job.source().collection().equals(collection)).toList();
        }
        for (IngestJob job : jobs) {
            job.completion().join(); // never completes exceptionally; see IngestJob#completion
        }
    }

    /** Forgets a final job, unless a later job of its document id has been scheduled since. */
    void finished(IngestJob job) {
        synchronized (lastJobByDocId) {
            lastJobByDocId.remove(job.docId(), job);
        }
    }
}
