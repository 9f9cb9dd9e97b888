package io.yinghuo.model.runtime;

import io.yinghuo.model.constrain.TokenConstraint;
import io.yinghuo.model.generate.CancellationToken;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.generate.TextStreamListener;
import io.yinghuo.model.serve.BatchScheduler;
import io.yinghuo.model.serve.GenerationJob;
import io.yinghuo.model.serve.KvSlotPool;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Serves one loaded model to any number of callers: up to {@link #slots()} generations decode together in one
 * batched forward pass per step ({@link BatchScheduler}); the others wait in arrival order for a slot, so nobody is
 * starved. The KV memory is a {@link KvSlotPool} bounded by {@link ModelOptions#maxSequences()} and
 * {@link ModelOptions#kvBudgetMb()}: each slot holds a whole context and keeps its tokens after its generation, so a
 * multi-turn chat that re-sends its history, or requests sharing a prompt prefix (the same retrieved passages),
 * only compute what follows the longest cached prefix.
 *
 * <p>Listeners passed to {@link #submit} run on the worker thread; a slow listener delays every running sequence,
 * and one that throws (anything, an {@link Error} included) fails only its own generation.
 * Cancelling a job's {@link CancellationToken} ends it after the running forward pass (or at once, while it still
 * waits for a slot).
 */
public final class ModelWorker {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final LlamaModel model;
    private final BatchScheduler scheduler;
    private final Thread thread;

    ModelWorker(LlamaModel model) {
        this.model = Objects.requireNonNull(model, "model");
        ModelOptions o = model.options();
        long budget = o.kvBudgetMb() > 0 ? o.kvBudgetMb() << 20 : halfTheFreeHeap();
        KvSlotPool pool = new KvSlotPool(model.loaded(), model.contextLength(), o.maxSequences(), budget,
                model.ropeExactLimit());
        this.scheduler = new BatchScheduler(model.loaded(), model.tokenizer(), pool,
                BatchScheduler.DEFAULT_INTERLEAVE_CHUNK);
        String name = "yinghuo-model-" + THREADS.incrementAndGet() + "-" + model.directory().getFileName();
        this.thread = new Thread(scheduler::run, name);
        // The JVM may exit while a model is still open: the weights are read-only mapped files.
        thread.setDaemon(true);
        thread.start();
    }

    private static long halfTheFreeHeap() {
        Runtime rt = Runtime.getRuntime();
        return Math.max(1, (rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) / 2);
    }

    public LlamaModel model() {
        return model;
    }

    /** Generations that run at once: the KV slots the budget allows, at most {@link ModelOptions#maxSequences()}. */
    public int slots() {
        return scheduler.pool().slots();
    }

    /** The most KV-cache bytes the slots can take together. */
    public long kvBoundBytes() {
        return scheduler.pool().boundBytes();
    }

    /**
     * True on the worker's own thread, i.e. inside a listener or a completion action of a job. Waiting there for
     * another job would wait forever (the worker thread runs the jobs).
     */
    public boolean isWorkerThread() {
        return Thread.currentThread() == thread;
    }

    /** Jobs waiting for a slot (a snapshot, for monitoring). */
    public int queuedJobs() {
        return scheduler.waiting();
    }

    /**
     * Queues a generation. The future completes on the worker thread (so dependent actions run there) with the
     * result, or exceptionally with what the generation threw.
     *
     * @throws IllegalStateException when the worker has been shut down (the model was closed)
     */
    public CompletableFuture<GenerationResult> submit(int[] promptIds, SamplingParams params,
                                                      TextStreamListener listener, CancellationToken cancellation) {
        return submit(promptIds, params, null, listener, cancellation);
    }

    /**
     * As {@link #submit(int[], SamplingParams, TextStreamListener, CancellationToken)}, the answer restricted by
     * {@code constraint} (a fresh one for this generation, or null for none; see
     * {@link io.yinghuo.model.generate.Generator#generate(int[], SamplingParams, TokenConstraint, TextStreamListener,
     * CancellationToken)}).
     */
    public CompletableFuture<GenerationResult> submit(int[] promptIds, SamplingParams params,
                                                      TokenConstraint constraint, TextStreamListener listener,
                                                      CancellationToken cancellation) {
        return submit(promptIds, params, constraint, listener, cancellation, (result, error) -> { });
    }

    /**
     * As above, {@code onDone} running on the worker thread with the result or the failure, before the future
     * completes. Why: an action chained to the future with {@code whenComplete} runs on the thread that chains it
     * when the generation has already finished (a cached prompt and a short answer can beat the caller), so a
     * streaming handler's callbacks would not all come from one thread.
     */
    public CompletableFuture<GenerationResult> submit(int[] promptIds, SamplingParams params,
                                                      TokenConstraint constraint, TextStreamListener listener,
                                                      CancellationToken cancellation,
                                                      BiConsumer<GenerationResult, Throwable> onDone) {
        CompletableFuture<GenerationResult> future = new CompletableFuture<>();
        GenerationJob job = new GenerationJob(promptIds, params, constraint, listener, cancellation, onDone, future);
        try {
            scheduler.submit(job);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the model " + model.directory() + " has been closed", e);
        }
        return future;
    }

    /**
     * Lets queued jobs finish, then frees the KV slots and runs {@code afterLast} (e.g. closing the model) on the
     * worker thread. Later {@link #submit} calls are refused.
     */
    void shutdown(Runnable afterLast) {
        scheduler.shutdown(afterLast);
    }
}
