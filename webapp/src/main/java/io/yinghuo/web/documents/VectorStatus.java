package io.yinghuo.web.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.ingest.pipeline.VectorBackfill;
import io.yinghuo.ingest.pipeline.VectorProgress;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.DocumentRecord;

/**
 * What the server tells about the background 语义索引 (the {@link VectorBackfill} that gives committed chunks their
 * vectors): the {@code vectors} object of {@code /api/health}, {@code /api/ingest} and {@code /api/ingest/events},
 * and the {@code vectors} flag of each document. Without an embedding model ({@code serve --no-vectors}) it is
 * disabled: {@code {"enabled": false}}, and no document has vectors.
 */
public final class VectorStatus {

    private final ChunkStore index;
    private final VectorBackfill backfill;

    /**
     * @param index the data folder's index (the catalogue and each document's vector space)
     * @param backfill the running backfill, or null without an embedding model
     */
    public VectorStatus(ChunkStore index, VectorBackfill backfill) {
        this.index = index;
        this.backfill = backfill;
    }

    /** Whether the server has an embedding model. */
    public boolean enabled() {
        return backfill != null;
    }

    /** Whether a document's chunks have vectors of the server's embedding model (committed). */
    public boolean hasVectors(String docId) {
        return backfill != null && index.vectorSpace(docId).map(backfill.space()::equals).orElse(false);
    }

    /** The {@code vectors} object: where the backfill stands, or {@code {"enabled": false}}. */
    public ObjectNode json() {
        if (backfill == null) {
            return DocumentJson.vectorsDisabled();
        }
        VectorProgress progress = backfill.progress();
        String fileName = progress.currentDocument().isEmpty() ? ""
                : index.document(progress.currentDocument()).map(DocumentRecord::fileName).orElse("");
        return DocumentJson.vectors(progress, fileName);
    }
}
