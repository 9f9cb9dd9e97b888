package io.yinghuo.ingest.pipeline;

/** Where a file is in the pipeline. {@link #DONE} and {@link #FAILED} are final. */
public enum IngestStage {
    QUEUED, PARSING, CHUNKING, INDEXING, DONE, FAILED;

    public boolean isFinal() {
        return this == DONE || this == FAILED;
    }

    /** Lower-case name used in progress lines and JSON. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
