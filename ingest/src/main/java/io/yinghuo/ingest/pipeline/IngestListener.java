package io.yinghuo.ingest.pipeline;

/** Receives every stage change of every file. Called from pipeline threads: must be thread-safe and quick. */
@FunctionalInterface
public interface IngestListener {

    void onProgress(IngestProgress progress);

    IngestListener NONE = progress -> { };
}
