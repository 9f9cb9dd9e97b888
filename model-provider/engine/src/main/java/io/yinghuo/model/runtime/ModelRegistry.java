package io.yinghuo.model.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import io.yinghuo.model.checkpoint.ModelLoadException;

/**
 * Loads each model folder once per JVM: {@link #acquire} with the same folder (by real path, so symbolic links and
 * relative paths meet) and the same {@link ModelOptions} returns a lease on the same {@link LlamaModel} and
 * {@link ModelWorker}; the weights are freed when the last lease is closed. A different device, thread count, RoPE
 * scaling or context length is a different load (each changes what the backend prepares or allocates).
 *
 * <p>{@link #attach} does the same for a model the caller loaded itself: every lease on that instance shares one
 * worker, so the instance is never run from two threads at once; closing the leases never closes the caller's model.
 *
 * <p>Loading happens outside the registry lock, under the entry's own lock: a slow 7B load does not hold up
 * callers of other models, and concurrent callers of the same folder wait for the one load.
 */
public final class ModelRegistry {

    private record Key(Path realPath, ModelOptions options) {
    }

    static final class Entry {
        private final Object key;
        private final LlamaModel attached;
        private int leases;
        private volatile ModelWorker worker;

        Entry(Object key, LlamaModel attached) {
            this.key = key;
            this.attached = attached;
        }

        ModelWorker worker() {
            return worker;
        }
    }

    private static final Map<Key, Entry> LOADED = new HashMap<>();
    private static final Map<LlamaModel, Entry> ATTACHED = new IdentityHashMap<>();

    private ModelRegistry() {
    }

    /**
     * A lease on the model in {@code directory} loaded with {@code options}, loading it if no lease holds it.
     *
     * @param log receives the loader's one-line notes (only when this call loads the model)
     * @throws ModelLoadException when the folder cannot be loaded (nothing is kept then)
     */
    public static ModelLease acquire(Path directory, ModelOptions options, Consumer<String> log) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(log, "log");
        Key key = new Key(realPath(directory), options);
        Entry entry;
        synchronized (ModelRegistry.class) {
            entry = LOADED.computeIfAbsent(key, k -> new Entry(k, null));
            entry.leases++;
        }
        try {
            synchronized (entry) {
                if (entry.worker == null) {
                    entry.worker = new ModelWorker(LlamaModel.load(key.realPath(), options, log));
                }
            }
        } catch (RuntimeException | Error e) {
            release(entry);
            throw e;
        }
        return new ModelLease(entry);
    }

    /** A lease that shares the worker of a model the caller loaded (and keeps owning: it is never closed here). */
    public static ModelLease attach(LlamaModel model) {
        Objects.requireNonNull(model, "model");
        synchronized (ModelRegistry.class) {
            Entry entry = ATTACHED.computeIfAbsent(model, m -> new Entry(m, m));
            if (entry.worker == null) {
                entry.worker = new ModelWorker(model);
            }
            entry.leases++;
            return new ModelLease(entry);
        }
    }

    /** Number of distinct models currently held (loaded or attached); for diagnostics and tests. */
    public static synchronized int heldModels() {
        return LOADED.size() + ATTACHED.size();
    }

    static void release(Entry entry) {
        synchronized (ModelRegistry.class) {
            if (--entry.leases > 0) {
                return;
            }
            if (entry.attached != null) {
                ATTACHED.remove(entry.attached);
            } else {
                LOADED.remove((Key) entry.key);
            }
        }
        ModelWorker worker = entry.worker;
        if (worker != null) {
            LlamaModel model = worker.model();
            worker.shutdown(entry.attached != null ? () -> { } : model::close);
        }
    }

    private static Path realPath(Path directory) {
        try {
            return directory.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("model folder " + directory + " does not exist or is not a folder");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve model folder " + directory, e);
        }
    }
}
