package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.parse.ParseWarning;

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
 * @param reason machine-readable code of {@code message} ("" when none: see {@link IngestJob} for the codes), so that
 *               a caller can show it in the user's language
 * @param reasonArgs the values the message names (file name, document id, detail), in the order of the code's text
 * @param retryable whether ingesting the same file again may succeed (a failed read or commit), rather than fail
 *                  the same way (a file that cannot be parsed)
 * @param warnings what the parser could not read or had to change although the file was added (pages a PDF declares
 *                 but lacks, scanned pages past the OCR page cap, an image reduced for recognition, invalid bytes):
 *                 nothing is left out without the job's result saying so. Empty until parsed and for failed jobs.
 */
public record IngestProgress(long jobId, String fileName, String docId, IngestStage stage, IngestOutcome outcome,
                             String message, int characters, int chunks, String reason, java.util.List<String> reasonArgs,
                             boolean retryable, java.util.List<ParseWarning> warnings) {

    public IngestProgress {
        reason = reason == null ? "" : reason;
        reasonArgs = reasonArgs == null ? java.util.List.of()
                : reasonArgs.stream().map(String::valueOf).toList();
        warnings = warnings == null ? java.util.List.of() : java.util.List.copyOf(warnings);
    }

    /** Without warnings. */
    public IngestProgress(long jobId, String fileName, String docId, IngestStage stage, IngestOutcome outcome,
                          String message, int characters, int chunks, String reason, java.util.List<String> reasonArgs,
                          boolean retryable) {
        this(jobId, fileName, docId, stage, outcome, message, characters, chunks, reason, reasonArgs, retryable,
                java.util.List.of());
    }

    /** Without a reason code (not retryable). */
    public IngestProgress(long jobId, String fileName, String docId, IngestStage stage, IngestOutcome outcome,
                          String message, int characters, int chunks) {
        this(jobId, fileName, docId, stage, outcome, message, characters, chunks, "", java.util.List.of(), false);
    }

    /** Whether the document is durably in the index (acknowledged). */
    public boolean succeeded() {
        return stage == IngestStage.DONE;
    }
}
