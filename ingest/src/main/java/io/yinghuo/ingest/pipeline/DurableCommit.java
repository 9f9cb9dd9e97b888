package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkStore;

import java.io.IOException;

/**
 * Commits the index after forcing to disk the originals of everything the commit holds, so that a published commit
 * never refers to an original a crash could lose.
 *
 * <p>Why a class of its own: both ways the pipeline changes the index, the committer's group commits of ingested
 * files and a deletion, must commit in exactly this order, and {@link ChunkStore#commit(ChunkStore.BeforePublish)}
 * is where the index offers the one moment for it: after the commit is prepared (the documents it holds are fixed)
 * and before it is published. The originals are synced there, once per commit, for all of its documents.
 */
final class DurableCommit {

    private final ChunkStore index;
    private final OriginalsBookkeeping originals;

    DurableCommit(ChunkStore index, OriginalsBookkeeping originals) {
        this.index = index;
        this.originals = originals;
    }

    /** Makes everything staged before the call durable and visible, the originals it refers to first. */
    void commit() throws IOException {
        index.commit(originals::syncPending);
    }
}
