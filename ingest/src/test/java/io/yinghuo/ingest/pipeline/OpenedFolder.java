package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.search.ChunkSearcher;

import java.io.IOException;

/**
 * A data folder opened the way the applications open it: the index, which the tests read (searches, catalogue,
 * chunks), and a pipeline writing into it. Exists so that every test closes the two in the one right order, the
 * pipeline (which finishes its commits) before the index.
 */
final class OpenedFolder implements AutoCloseable {

    final ChunkIndex index;
    final IngestPipeline pipeline;
    final ChunkSearcher searcher;
    /** The originals, for reading; the pipeline keeps its own for writing. */
    final OriginalStore originals;

    private OpenedFolder(ChunkIndex index, IngestPipeline pipeline, OriginalStore originals) {
        this.index = index;
        this.pipeline = pipeline;
        this.searcher = new ChunkSearcher(index);
        this.originals = originals;
    }

    static OpenedFolder open(DataFolder folder, IngestOptions options) throws IOException {
        ChunkIndex index = ChunkIndex.open(folder.index(), options.profile());
        try {
            OriginalStore originals = new OriginalStore(folder.originals());
            return new OpenedFolder(index, IngestPipeline.open(folder, index, options), originals);
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            pipeline.close();
        } finally {
            index.close();
        }
    }
}
