package io.yinghuo.ingest.pipeline;

/** What a finished ingestion did. Every outcome but {@link #FAILED} leaves the document durably in the index. */
public enum IngestOutcome {
    /** A new document, committed. */
    ADDED,
    /** A file with the same name and new content: its old chunks were replaced in the same commit. */
    REPLACED,
    /** The same name with the same bytes is already in the index: nothing to do. */
    UNCHANGED,
    /** The same bytes are already in the index under another name: not indexed twice. */
    DUPLICATE,
    /** Nothing was changed; see the message. */
    FAILED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
