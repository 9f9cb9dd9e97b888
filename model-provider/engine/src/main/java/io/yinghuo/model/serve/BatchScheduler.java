package io.yinghuo.model.serve;

import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.SequenceStep;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.GenerationRun;
import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Continuous batching (Orca, OSDI 2022: iteration-level scheduling): a loop on one thread in which every step runs
 * one batched forward pass ({@link LoadedModel#forwardBatch}) over all running sequences, one token each, so decode
 * streams the weights once for all of them. Sequences join between steps when a {@link KvSlotPool} slot is free
 * (arrival order, and with the slot that already holds the longest prefix of their prompt) and leave as soon as they
 * end, freeing the slot for the next one. A newcomer's prompt runs in chunks of {@code interleaveChunk} tokens in the
 * same passes as the others' decode steps, so a long prompt delays the running streams by one chunk per step instead
 * of stalling them for the whole prefill, and its own first token still comes after a bounded number of steps
 * (prompts are served oldest first, one chunk budget per step). Backends that run a batch one sequence after another
 * get each prompt in one piece (the rotation of length-dependent RoPE must see the whole prompt).
 *
 * <p>Listeners and completion actions run on the scheduler's thread. A cancelled sequence leaves after the running
 * pass, a cancelled waiting job at once. A failed pass fails the sequences in it (their slots forget their cache)
 * and the loop goes on; a listener that throws fails only its own sequence. "Throws" means any {@link Throwable}:
 * listeners and completion actions are callers' code (a streaming chat handler's assertion fails with an
 * {@link Error}, Kotlin or Lombok's {@code @SneakyThrows} throw checked exceptions from methods that declare none),
 * and the loop's thread is the only one that serves the model, so nothing a caller throws may end it.
 */
public final class BatchScheduler {

    /** Prompt tokens one newcomer runs per step while other sequences decode. */
    public static final int DEFAULT_INTERLEAVE_CHUNK = 64;

    private final LoadedModel model;
    private final Tokenizer tokenizer;
    private final KvSlotPool pool;
    private final int interleaveChunk;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<GenerationJob> waiting = new ArrayDeque<>();
    private boolean shuttingDown;
    private Runnable afterLast;

    // the loop thread's own state
    private final List<Sequence> running = new ArrayList<>();
    private final List<SequenceStep> steps = new ArrayList<>();
    private final List<Sequence> stepped = new ArrayList<>();

    /** One running sequence: its job, slot, run, and what it feeds next. */
    private static final class Sequence {
        final GenerationJob job;
        final KvSlot slot;
        final GenerationRun run;
        final int promptLength;
        final float[] logits;
        int[] prompt;
        int promptDone;
        final int[] next = new int[1];

        Sequence(GenerationJob job, KvSlot slot, GenerationRun run, int vocab) {
            this.job = job;
            this.slot = slot;
            this.run = run;
            this.prompt = run.prefill();
            this.promptLength = job.promptIds().length;
            this.logits = new float[vocab];
        }

        boolean prefilling() {
            return prompt != null;
        }
    }

    public BatchScheduler(LoadedModel model, Tokenizer tokenizer, KvSlotPool pool, int interleaveChunk) {
        if (interleaveChunk < 1) {
            throw new IllegalArgumentException("interleave chunk must be >= 1, got " + interleaveChunk);
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.pool = pool;
        this.interleaveChunk = interleaveChunk;
    }

    public KvSlotPool pool() {
        return pool;
    }

    /**
     * Queues a job.
     *
     * @throws IllegalStateException after {@link #shutdown}
     */
    public void submit(GenerationJob job) {
        lock.lock();
        try {
            if (shuttingDown) {
                throw new IllegalStateException("the model has been closed");
            }
            waiting.addLast(job);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Jobs waiting for a slot (a snapshot). */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Lets the queued and running jobs finish, then frees the slots and runs {@code then} on the loop thread. */
    public void shutdown(Runnable then) {
        lock.lock();
        try {
            if (shuttingDown) {
                return;
            }
            shuttingDown = true;
            afterLast = then;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The loop; returns after {@link #shutdown} once every job has ended. */
    public void run() {
        while (true) {
            List<GenerationJob> admitted = new ArrayList<>();
            List<GenerationJob> cancelled = new ArrayList<>();
            lock.lock();
            try {
                while (running.isEmpty() && waiting.isEmpty() && !shuttingDown) {
                    changed.awaitUninterruptibly();
                }
                if (running.isEmpty() && waiting.isEmpty()) {
                    break;
                }
                for (Iterator<GenerationJob> it = waiting.iterator(); it.hasNext(); ) {
                    GenerationJob job = it.next();
                    if (job.cancellation().isCancelled()) {
                        it.remove();
                        cancelled.add(job);
                    }
                }
                int free = pool.slots() - running.size();
                while (free-- > 0 && !waiting.isEmpty()) {
                    admitted.add(waiting.pollFirst());
                }
            } finally {
                lock.unlock();
            }
            cancelled.forEach(this::endWaiting);
            admitted.forEach(this::admit);
            if (!running.isEmpty()) {
                step();
            }
        }
        pool.close();
        if (afterLast != null) {
            afterLast.run();
        }
    }

    private void endWaiting(GenerationJob job) {
        try {
            GenerationRun run = new GenerationRun(tokenizer, model.config().vocabSize(), pool.slotCapacity(),
                    job.promptIds(), 0, job.params(), job.constraint(), job.listener(), job.cancellation());
            job.complete(run.cancel());
        } catch (Throwable e) { // the listener hears the run's end
            job.fail(e);
        }
    }

    private void admit(GenerationJob job) {
        KvSlotPool.Lease lease;
        try {
            GenerationRun.checkPrompt(job.promptIds(), model.config().vocabSize(), pool.slotCapacity());
            lease = pool.acquire(job.promptIds());
        } catch (Throwable e) {
            job.fail(e);
            return;
        }
        try {
            GenerationRun run = new GenerationRun(tokenizer, model.config().vocabSize(), pool.slotCapacity(),
                    job.promptIds(), lease.reused(), job.params(), job.constraint(), job.listener(),
                    job.cancellation());
            if (run.finished()) {
                pool.release(lease.slot());
                job.complete(run.result());
                return;
            }
            lease.slot().session(); // allocates the cache now: a full heap fails this job, not the batch
            running.add(new Sequence(job, lease.slot(), run, model.config().vocabSize()));
        } catch (Throwable e) { // the listener may hear a run that ends at once
            lease.slot().forget();
            pool.release(lease.slot());
            job.fail(e);
        }
    }

    private void step() {
        steps.clear();
        stepped.clear();
        boolean chunked = model.batchesNatively();
        boolean anyDecoding = running.stream().anyMatch(s -> !s.prefilling());
        int promptBudget = chunked && anyDecoding ? interleaveChunk : Integer.MAX_VALUE;
        for (Sequence s : new ArrayList<>(running)) {
            if (s.prefilling() && s.job.cancellation().isCancelled()) {
                cancelWhilePrefilling(s);
                continue;
            }
            if (s.prefilling()) {
                if (promptBudget <= 0) {
                    continue;
                }
                int n = Math.min(s.prompt.length - s.promptDone, promptBudget);
                promptBudget -= n;
                int[] chunk = Arrays.copyOfRange(s.prompt, s.promptDone, s.promptDone + n);
                boolean last = s.promptDone + n == s.prompt.length;
                steps.add(new SequenceStep(s.slot.session(), chunk, s.promptLength, last ? s.logits : null));
            } else {
                steps.add(SequenceStep.of(s.slot.session(), s.next, s.logits));
            }
            stepped.add(s);
        }
        if (steps.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            model.forwardBatch(steps);
        } catch (Throwable e) {
            for (Sequence s : stepped) {
                s.slot.forget();
                end(s);
                s.job.fail(e);
            }
            return;
        }
        long took = System.nanoTime() - start;
        for (int i = 0; i < stepped.size(); i++) {
            Sequence s = stepped.get(i);
            SequenceStep step = steps.get(i);
            s.slot.appended(step.tokens(), step.ropeLength());
            try {
                if (s.prefilling()) {
                    s.run.prefillTook(took);
                    s.promptDone += step.tokens().length;
                    if (s.promptDone < s.prompt.length) {
                        continue;
                    }
                    s.prompt = null;
                } else {
                    s.run.decodeTook(took);
                }
                int next = s.run.accept(s.logits);
                if (next < 0) {
                    finish(s, s.run.result());
                } else {
                    s.next[0] = next;
                }
            } catch (Throwable e) { // from the sampler, or the listener hearing the new text
                end(s);
                s.job.fail(e);
            }
        }
    }

    /** A job cancelled before its first token: it ends with what it has (nothing), its listener hearing the end. */
    private void cancelWhilePrefilling(Sequence s) {
        GenerationResult result;
        try {
            result = s.run.cancel();
        } catch (Throwable e) {
            end(s);
            s.job.fail(e);
            return;
        }
        finish(s, result);
    }

    private void finish(Sequence s, GenerationResult result) {
        end(s);
        s.job.complete(result);
    }

    private void end(Sequence s) {
        running.remove(s);
        pool.release(s.slot);
    }
}
