package io.yinghuo.model.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One user's hold on a model served by {@link ModelRegistry}. Every lease of the same model folder (with the same
 * options) shares one {@link LlamaModel} and one {@link ModelWorker}; the last lease to close frees them.
 */
public final class ModelLease implements AutoCloseable {

    private final ModelRegistry.Entry entry;
    private final AtomicBoolean closed = new AtomicBoolean();

    ModelLease(ModelRegistry.Entry entry) {
        this.entry = entry;
    }

    public LlamaModel model() {
        return entry.worker().model();
    }

    /** The FIFO queue that runs generations on this model. */
    public ModelWorker worker() {
        return entry.worker();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Releases this hold; idempotent. Queued generations still finish before the model is freed. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            ModelRegistry.release(entry);
        }
    }
}
