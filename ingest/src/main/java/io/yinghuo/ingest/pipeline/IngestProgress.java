package io.yinghuo.ingest.pipeline;

/**
 * A snapshot of one file's ingestion, as sent to listeners and returned when it finishes.
 *
 * @param jobId sequence number of the job in this pipeline
 * @param fileName the file name as submitted
 * @param docId the document id (derived from collection and file name)
 * @param stage current stage
 * @param outcome the result once {@code stage} is final, else null
 * @param message why it failed, what it duplicates, or "" when there is nothing to say
 * @param characters characters of parsed text (0 until parsed)
 * @param chunks chunks produced (0 until chunked)
 */
public record IngestProgress(long jobId, String fileName, String docId, IngestStage stage, IngestOutcome outcome,
                             String message, int characters, int chunks) {

    /** Whether the document is durably in the index (acknowledged). */
    public boolean succeeded() {
        return stage == IngestStage.DONE;
    }
}
