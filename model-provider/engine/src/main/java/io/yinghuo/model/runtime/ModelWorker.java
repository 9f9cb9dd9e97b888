package io.yinghuo.model.runtime;

import io.yinghuo.model.constrain.TokenConstraint;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.generate.CancellationToken;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.Generator;
import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.generate.TextStreamListener;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves one loaded model to any number of callers, one generation at a time, in arrival order.
 *
 * <p>Why a single thread: a session's KV cache costs {@code contextLength * kvBytesPerToken} (2 GiB for a 7B model
 * at 4096 tokens), so one session per caller does not scale, and the backend serializes forward passes anyway
 * (the CPU backend shares one worker pool). The worker therefore owns a single session and a {@link Generator} that
 * reuses the cached prompt prefix, so a multi-turn chat that re-sends its history only computes the new turn.
 * Jobs wait in an unbounded FIFO queue: the first submitted is the first served, and nobody is starved.
 *
 * <p>Listeners passed to {@link #submit} run on the worker thread; a slow listener delays everyone queued behind
 * it. Cancelling a job's {@link CancellationToken} ends it after the running forward pass (or at once, while it is
 * still queued) and the worker moves on to the next job.
 */
public final class ModelWorker {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final LlamaModel model;
    private final ThreadPoolExecutor executor;
    private volatile Thread thread;

    // Touched by the worker thread only.
    private InferenceSession session;
    private Generator generator;

    ModelWorker(LlamaModel model) {
        this.model = Objects.requireNonNull(model, "model");
        String name = "yinghuo-model-" + THREADS.incrementAndGet() + "-" + model.directory().getFileName();
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
            thread = t;
            // The JVM may exit while a model is still open: the weights are read-only mapped files.
            t.setDaemon(true);
            return t;
        });
    }

    public LlamaModel model() {
        return model;
    }

    /**
     * True on the worker's own thread, i.e. inside a listener or a completion action of a job. Waiting there for
     * another job would wait forever (the worker runs one job at a time).
     */
    public boolean isWorkerThread() {
        return Thread.currentThread() == thread;
    }

    /** Jobs waiting behind the one that runs (a snapshot, for monitoring). */
    public int queuedJobs() {
        return executor.getQueue().size();
    }

    /**
     * Queues a generation. The future completes on the worker thread (so dependent actions run there, before the
     * next job starts) with the result, or exceptionally with what the generator threw.
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
     * {@link Generator#generate(int[], SamplingParams, TokenConstraint, TextStreamListener, CancellationToken)}).
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
                                                      java.util.function.BiConsumer<GenerationResult, Throwable> onDone) {
        Objects.requireNonNull(onDone, "onDone");
        Objects.requireNonNull(promptIds, "promptIds");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancellation, "cancellation");
        CompletableFuture<GenerationResult> future = new CompletableFuture<>();
        try {
            executor.execute(() -> run(future, promptIds, params, constraint, listener, cancellation, onDone));
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the model " + model.directory() + " has been closed", e);
        }
        return future;
    }

    private void run(CompletableFuture<GenerationResult> future, int[] promptIds, SamplingParams params,
                     TokenConstraint constraint, TextStreamListener listener, CancellationToken cancellation,
                     java.util.function.BiConsumer<GenerationResult, Throwable> onDone) {
        GenerationResult result;
        try {
            result = generator().generate(promptIds, params, constraint, listener, cancellation);
        } catch (Throwable t) {
            try {
                onDone.accept(null, t);
            } finally {
                future.completeExceptionally(t);
            }
            return;
        }
        try {
            onDone.accept(result, null);
        } finally {
            future.complete(result);
        }
    }

    private Generator generator() {
        if (generator == null) {
            session = model.newSession();
            generator = new Generator(session, model.tokenizer(), true);
        }
        return generator;
    }

    /**
     * Lets queued jobs finish, then frees the session and runs {@code afterLast} (e.g. closing the model) on the
     * worker thread. Later {@link #submit} calls are refused.
     */
    void shutdown(Runnable afterLast) {
        try {
            executor.execute(() -> {
                if (session != null) {
                    session.close();
                    session = null;
                    generator = null;
                }
                afterLast.run();
            });
        } catch (RejectedExecutionException alreadyShutDown) {
            return;
        }
        executor.shutdown();
    }

    /** Runs a task on the worker thread after the queued jobs; for tests and orderly hand-over. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    ExecutorService executor() {
        return executor;
    }
}
