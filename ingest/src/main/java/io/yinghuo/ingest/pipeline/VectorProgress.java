package io.yinghuo.ingest.pipeline;

/**
 * Where the vector backfill stands ("语义索引 340/2191": chunks with vectors of the embedder's space, of all chunks).
 *
 * @param space the vector space being filled ({@code modelId/dimension})
 * @param state {@code loading} (the embedding model is being loaded), {@code running}, {@code idle} (every
 *              document has vectors), {@code failed} (see {@code error}) or {@code stopped}
 * @param chunksDone chunks that have vectors of {@code space}, committed
 * @param chunksTotal all committed chunks
 * @param documentsDone documents whose chunks all have vectors of {@code space}
 * @param documentsTotal all committed documents
 * @param currentDocument the document being embedded now, "" when none
 * @param currentDone chunks of it embedded so far (not yet committed)
 * @param currentTotal its chunks
 * @param chunksPerSecond embedding throughput of this run so far (0 before the first document)
 * @param error why the backfill failed, "" otherwise
 */
public record VectorProgress(String space, String state, long chunksDone, long chunksTotal, int documentsDone,
                             int documentsTotal, String currentDocument, int currentDone, int currentTotal,
                             double chunksPerSecond, String error) {

    /** Whether every committed chunk has its vector. */
    public boolean complete() {
        return chunksDone >= chunksTotal && documentsDone >= documentsTotal;
    }

    /** The progress line the UI and the CLI show, e.g. {@code 语义索引 340/2191}. */
    public String label() {
        return "语义索引 " + chunksDone + "/" + chunksTotal;
    }
}
