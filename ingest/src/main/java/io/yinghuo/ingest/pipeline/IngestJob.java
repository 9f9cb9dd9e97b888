package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.DocumentRecord;

import java.util.concurrent.CompletableFuture;

/**
 * One file going through the pipeline. Its state changes only on pipeline threads; readers get consistent
 * {@link #progress() snapshots}, and {@link #completion()} completes once the stage is final.
 */
public final class IngestJob {

    private final long id;
    private final IngestSource source;
    private final String docId;
    private final IngestListener listener;
    private final CompletableFuture<IngestProgress> completion = new CompletableFuture<>();

    private IngestStage stage = IngestStage.QUEUED;
    private IngestOutcome outcome;
    private String message = "";
    private String reason = "";
    private java.util.List<String> reasonArgs = java.util.List.of();
    private boolean retryable;
    private int characters;
    private int chunkCount;
    private java.util.List<io.yinghuo.ingest.parse.ParseWarning> warnings = java.util.List.of();

    // Working state, used by the pipeline only.
    String sha256;
    DocumentRecord record;
    /** The committed version this job replaces; null for a new document. */
    DocumentRecord replaced;

    IngestJob(long id, IngestSource source, String docId, IngestListener listener) {
        this.id = id;
        this.source = source;
        this.docId = docId;
        this.listener = listener;
    }

    public long id() {
        return id;
    }

    public String docId() {
        return docId;
    }

    public IngestSource source() {
        return source;
    }

    public synchronized IngestProgress progress() {
        return new IngestProgress(id, source.fileName(), docId, stage, outcome, message, characters, chunkCount,
                reason, reasonArgs, retryable, outcome == IngestOutcome.FAILED ? java.util.List.of() : warnings);
    }

    /** Completes with the final progress (DONE or FAILED); never completes exceptionally. */
    public CompletableFuture<IngestProgress> completion() {
        return completion;
    }

    void moveTo(IngestStage next) {
        publish(next, null, "");
    }

    void counts(int chars, int chunks) {
        synchronized (this) {
            this.characters = chars;
            this.chunkCount = chunks;
        }
    }

    /** What the parser reports although it read the file; the job's result carries it once it is added. */
    synchronized void warnings(java.util.List<io.yinghuo.ingest.parse.ParseWarning> parsed) {
        this.warnings = java.util.List.copyOf(parsed);
    }

    /**
     * A page of a scan has been recognised: an event in the PARSING stage with reason {@code ocr_page} (pages done,
     * pages in all) and the characters parsed so far, so that a long scan shows it is moving.
     */
    void recognising(int done, int total, int chars) {
        IngestProgress snapshot;
        synchronized (this) {
            if (stage != IngestStage.PARSING) {
                return;
            }
            characters = chars;
            message = "recognising text (OCR): page " + done + " of " + total;
            reason = "ocr_page";
            reasonArgs = java.util.List.of(String.valueOf(done), String.valueOf(total));
            snapshot = progress();
        }
        try {
            listener.onProgress(snapshot);
        } catch (RuntimeException e) {
            // A faulty listener must not break ingestion.
        }
    }

    void finish(IngestOutcome result, String text) {
        finish(result, text, "", java.util.List.of(), false);
    }

    /**
     * Finishes with a reason code the message stands for, the values it names, and whether trying again may
     * succeed. Codes: {@code unchanged}; {@code duplicate} (file name, document id); {@code duplicate_in_flight}
     * (document id); {@code parse_<reason>} ({@link io.yinghuo.ingest.parse.DocumentParseException.Reason} in lower
     * case; detail); {@code out_of_memory}; {@code io_error} (detail); {@code ocr_page} (pages done, pages in all: a
     * PARSING event, not a final one); {@code interrupted}; {@code commit_failed}
     * (detail); {@code failed} (detail).
     */
    void finish(IngestOutcome result, String text, String code, java.util.List<String> args, boolean canRetry) {
        synchronized (this) {
            if (!stage.isFinal()) {
                reason = code;
                reasonArgs = args.stream().map(String::valueOf).toList();
                retryable = canRetry;
            }
        }
        publish(result == IngestOutcome.FAILED ? IngestStage.FAILED : IngestStage.DONE, result, text);
    }

    private void publish(IngestStage next, IngestOutcome result, String text) {
        IngestProgress snapshot;
        synchronized (this) {
            if (stage.isFinal()) {
                return;
            }
            stage = next;
            outcome = result;
            message = text == null ? "" : text;
            if ("ocr_page".equals(reason)) {
                reason = "";
                reasonArgs = java.util.List.of();
            }
            snapshot = progress();
        }
        try {
            listener.onProgress(snapshot);
        } catch (RuntimeException e) {
            // A faulty listener must not break ingestion.
        }
        if (next.isFinal()) {
            completion.complete(snapshot);
        }
    }
}
