package io.yinghuo.model.serve;

import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.engine.RandomLlama.Spec;
import io.yinghuo.model.engine.SequenceStep;
import io.yinghuo.model.engine.cpu.CpuBackend;
import io.yinghuo.model.generate.CancellationToken;
import io.yinghuo.model.generate.FinishReason;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.Generator;
import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.generate.TextStreamListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Continuous batching: concurrent generations decode together and each gets the tokens it gets alone; newcomers
 * join while others run; cancellation and failures stay with their own sequence.
 */
class BatchSchedulerTest {
    private static final Spec SPEC = Spec.tiny().withQuant(4, 32, true, true).withHeads(4, 2)
            .withShape(64, 96, 2, 4, 2, 300);
    private static final int CAPACITY = 160;

    private LoadedModel model;
    private ObservedModel observed;
    private BatchScheduler scheduler;
    private Thread loop;

    @BeforeEach
    void start() {
        model = new CpuBackend().load(RandomLlama.build(SPEC), EngineOptions.defaults().withThreads(2));
        // a small interleave chunk so that prompts arriving during decode run in several chunks
        observed = new ObservedModel(model);
        scheduler = new BatchScheduler(observed, new IdTokenizer(SPEC.vocab()),
                new KvSlotPool(observed, CAPACITY, 3, 0, Integer.MAX_VALUE), 5);
        loop = new Thread(scheduler::run, "batch-under-test");
        loop.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdown(() -> { });
        loop.join();
        model.close();
    }

    private CompletableFuture<GenerationResult> submit(int[] prompt, SamplingParams params, TextStreamListener l,
                                                       CancellationToken c) {
        return submit(prompt, params, l, c, (r, e) -> { });
    }

    private CompletableFuture<GenerationResult> submit(int[] prompt, SamplingParams params, TextStreamListener l,
                                                       CancellationToken c,
                                                       BiConsumer<GenerationResult, Throwable> onDone) {
        CompletableFuture<GenerationResult> f = new CompletableFuture<>();
        scheduler.submit(new GenerationJob(prompt, params, null, l, c, onDone, f));
        return f;
    }

    /**
     * What a job's future failed with. The bound only keeps a broken build from hanging (a scheduler whose thread
     * died answers nothing); it is not part of any assertion.
     */
    private static Throwable failure(CompletableFuture<GenerationResult> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(120, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static GenerationResult result(CompletableFuture<GenerationResult> future) throws Exception {
        return future.get(120, TimeUnit.SECONDS);
    }

    /** Throws a checked exception that the method does not declare, as Kotlin code or Lombok's @SneakyThrows can. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    private GenerationResult alone(int[] prompt, SamplingParams params) {
        try (InferenceSession s = model.newSession(CAPACITY)) {
            return new Generator(s, new IdTokenizer(SPEC.vocab())).generate(prompt, params);
        }
    }

    private static List<int[]> prompts(int count) {
        Random random = new Random(12);
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] p = RandomLlama.tokens(random, 4 + 3 * i, SPEC.vocab());
            p[0] = 1;
            prompts.add(p);
        }
        return prompts;
    }

    @Test
    void concurrentGreedyAndSeededGenerationsGiveWhatEachGivesAlone() {
        List<int[]> prompts = prompts(7); // more than the 3 slots: the rest join as others leave
        List<SamplingParams> params = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            params.add(i % 2 == 0 ? SamplingParams.greedy(12 + i)
                    : SamplingParams.chineseAlpaca2().toBuilder().maxNewTokens(10).seed(100L + i).build());
        }
        List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            futures.add(submit(prompts.get(i), params.get(i), TextStreamListener.NONE, new CancellationToken()));
        }
        for (int i = 0; i < prompts.size(); i++) {
            GenerationResult batched = futures.get(i).join();
            GenerationResult expected = alone(prompts.get(i), params.get(i));
            assertArrayEquals(expected.tokenIds(), batched.tokenIds(), "generation " + i);
            assertEquals(expected.text(), batched.text());
            assertEquals(expected.finishReason(), batched.finishReason());
        }
    }

    /** The model under the scheduler, recording the token count of each step of every batch it is given. */
    private static final class ObservedModel implements LoadedModel {
        private final LoadedModel model;
        private final List<List<Integer>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();

        ObservedModel(LoadedModel model) {
            this.model = model;
        }

        @Override
        public void forwardBatch(List<SequenceStep> steps) {
            batches.add(steps.stream().map(s -> s.tokens().length).toList());
            model.forwardBatch(steps);
        }

        @Override
        public boolean batchesNatively() {
            return model.batchesNatively();
        }

        @Override
        public LlamaConfig config() {
            return model.config();
        }

        @Override
        public String description() {
            return model.description();
        }

        @Override
        public InferenceSession newSession(int capacity) {
            return model.newSession(capacity);
        }

        @Override
        public long kvBytesPerToken() {
            return model.kvBytesPerToken();
        }

        @Override
        public long weightBytesPerToken() {
            return model.weightBytesPerToken();
        }

        @Override
        public void close() {
        }
    }

    /**
     * A prompt that arrives while another sequence decodes is prefilled in chunks of the interleave size (5 here),
     * each beside one decode step of the running sequence, so the running stream keeps its pace; a prompt that
     * arrives alone runs whole. Both still generate what each generates alone.
     */
    @Test
    void aPromptArrivingDuringDecodeIsPrefilledInChunksBesideTheRunningSteps() {
        int[] first = prompts(6).get(5);
        int[] second = prompts(8).get(7);
        assertEquals(25, second.length);
        assertTrue(alone(first, SamplingParams.greedy(20)).generatedTokens() >= 10, "first decodes long enough");
        CompletableFuture<GenerationResult> late = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicBoolean submitted = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<GenerationResult> early = submit(first, SamplingParams.greedy(20), piece -> {
            if (submitted.compareAndSet(false, true)) { // first is decoding: its first token was just sampled
                scheduler.submit(new GenerationJob(second, SamplingParams.greedy(4), null, TextStreamListener.NONE,
                        new CancellationToken(), (r, e) -> { }, late));
            }
        }, new CancellationToken());

        assertArrayEquals(alone(first, SamplingParams.greedy(20)).tokenIds(), early.join().tokenIds());
        assertArrayEquals(alone(second, SamplingParams.greedy(4)).tokenIds(), late.join().tokenIds());
        List<List<Integer>> batches = observed.batches;
        assertEquals(List.of(first.length), batches.get(0), "alone, a prompt runs whole");
        List<List<Integer>> both = batches.stream().filter(b -> b.size() == 2).toList();
        assertEquals(List.of(List.of(1, 5), List.of(1, 5), List.of(1, 5), List.of(1, 5), List.of(1, 5),
                List.of(1, 1)), both.subList(0, 6), "25 prompt tokens in five chunks, then both decode");
    }

    /**
     * A job cancelled while it waits for a slot ends cancelled without its prompt reaching the model, and its
     * completion action runs once.
     */
    @Test
    void aJobCancelledWhileWaitingEndsOnceAndNeverRuns() throws Exception {
        List<int[]> prompts = prompts(3);
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(3);
        List<CompletableFuture<GenerationResult>> busy = new ArrayList<>();
        for (int[] prompt : prompts) {
            java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean();
            busy.add(submit(prompt, SamplingParams.greedy(20), piece -> {
                if (counted.compareAndSet(false, true)) {
                    running.countDown();
                }
            }, new CancellationToken()));
        }
        assertTrue(running.await(120, TimeUnit.SECONDS), "the three slots are busy");
        int[] waiting = RandomLlama.tokens(new Random(5), 37, SPEC.vocab());
        CancellationToken cancel = new CancellationToken();
        cancel.cancel();
        java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<GenerationResult> cancelled = submit(waiting, SamplingParams.greedy(5),
                TextStreamListener.NONE, cancel, (r, e) -> ended.incrementAndGet());
        busy.forEach(CompletableFuture::join);
        // queued behind the cancelled job: once it is done, the scheduler has passed the cancelled one for good
        result(submit(prompts.get(0), SamplingParams.greedy(2), TextStreamListener.NONE, new CancellationToken()));

        assertEquals(FinishReason.CANCELLED, result(cancelled).finishReason());
        assertEquals(0, result(cancelled).generatedTokens());
        assertEquals(1, ended.get(), "its completion action ran once");
        assertTrue(observed.batches.stream().flatMap(List::stream).noneMatch(n -> n == waiting.length),
                "its prompt never reached the model");
        assertEquals(0, scheduler.pool().busy());
    }

    @Test
    void aSecondRequestWithTheSamePrefixRunsOnlyTheNewTokens() {
        int[] first = prompts(6).get(5);
        GenerationResult a = submit(first, SamplingParams.greedy(3), TextStreamListener.NONE,
                new CancellationToken()).join();
        assertEquals(first.length, a.prefillTokens());
        int[] second = java.util.Arrays.copyOf(first, first.length + 4);
        GenerationResult b = submit(second, SamplingParams.greedy(3), TextStreamListener.NONE,
                new CancellationToken()).join();
        assertTrue(b.prefillTokens() <= 4, "prefilled " + b.prefillTokens() + " of " + second.length);
        assertArrayEquals(alone(second, SamplingParams.greedy(3)).tokenIds(), b.tokenIds());
    }

    @Test
    void aCancelledOrFailingSequenceLeavesAndTheOthersFinish() {
        List<int[]> prompts = prompts(5);
        CancellationToken cancel = new CancellationToken();
        CompletableFuture<GenerationResult> cancelled = submit(prompts.get(0), SamplingParams.greedy(40),
                piece -> cancel.cancel(), cancel);
        CompletableFuture<GenerationResult> failing = submit(prompts.get(1), SamplingParams.greedy(40), piece -> {
            throw new IllegalStateException("listener broke");
        }, new CancellationToken());
        List<CompletableFuture<GenerationResult>> others = new ArrayList<>();
        for (int i = 2; i < prompts.size(); i++) {
            others.add(submit(prompts.get(i), SamplingParams.greedy(8), TextStreamListener.NONE,
                    new CancellationToken()));
        }
        GenerationResult c = cancelled.join();
        assertEquals(FinishReason.CANCELLED, c.finishReason());
        assertEquals(1, c.generatedTokens());
        CompletionException e = assertThrows(CompletionException.class, failing::join);
        assertEquals("listener broke", e.getCause().getMessage());
        for (int i = 0; i < others.size(); i++) {
            assertArrayEquals(alone(prompts.get(i + 2), SamplingParams.greedy(8)).tokenIds(),
                    others.get(i).join().tokenIds());
        }
        assertEquals(0, scheduler.pool().busy());
    }

    @Test
    void aPromptThatDoesNotFitFailsAloneWithAClearMessage() {
        CompletableFuture<GenerationResult> tooLong = submit(new int[CAPACITY + 1], SamplingParams.greedy(2),
                TextStreamListener.NONE, new CancellationToken());
        CompletionException e = assertThrows(CompletionException.class, tooLong::join);
        assertTrue(e.getCause().getMessage().contains("holds at most " + CAPACITY), e.getCause().getMessage());
        int[] ok = prompts(1).get(0);
        assertArrayEquals(alone(ok, SamplingParams.greedy(4)).tokenIds(),
                submit(ok, SamplingParams.greedy(4), TextStreamListener.NONE, new CancellationToken()).join()
                        .tokenIds());
    }

    /**
     * Callers' code runs on the scheduler's thread (listeners, completion actions); whatever it throws, an Error or
     * a checked exception thrown sneakily included, fails that caller's job alone: the sequences decoding with it
     * get what they get alone, and the scheduler serves the next job.
     */
    @Test
    void anErrorOrCheckedExceptionFromCallerCodeFailsOnlyThatJobAndTheSchedulerGoesOn() throws Exception {
        List<int[]> prompts = prompts(6);
        AssertionError listenerError = new AssertionError("listener assertion failed");
        Exception checked = new java.io.IOException("listener wrote to a closed stream");
        AssertionError onDoneError = new AssertionError("completion action failed");
        IllegalStateException listenerBroke = new IllegalStateException("listener broke");
        AssertionError onFailureError = new AssertionError("completion action failed on a failure");
        // a slot for each of the first three; the others join as those leave
        CompletableFuture<GenerationResult> healthy = submit(prompts.get(0), SamplingParams.greedy(30),
                TextStreamListener.NONE, new CancellationToken());
        CompletableFuture<GenerationResult> errorInListener = submit(prompts.get(1), SamplingParams.greedy(30),
                piece -> {
                    throw listenerError;
                }, new CancellationToken());
        CompletableFuture<GenerationResult> checkedInListener = submit(prompts.get(2), SamplingParams.greedy(30),
                piece -> sneakyThrow(checked), new CancellationToken());
        CompletableFuture<GenerationResult> errorInOnDone = submit(prompts.get(3), SamplingParams.greedy(4),
                TextStreamListener.NONE, new CancellationToken(), (r, e) -> {
                    throw onDoneError;
                });
        CompletableFuture<GenerationResult> errorInOnDoneOfAFailure = submit(prompts.get(4),
                SamplingParams.greedy(4), piece -> {
                    throw listenerBroke;
                }, new CancellationToken(), (r, e) -> {
                    throw onFailureError;
                });

        assertSame(listenerError, failure(errorInListener));
        assertSame(checked, failure(checkedInListener));
        assertSame(onDoneError, failure(errorInOnDone), "a completion action that fails fails the job");
        Throwable failed = failure(errorInOnDoneOfAFailure);
        assertSame(listenerBroke, failed, "the job fails with the listener's exception");
        assertEquals(List.of(onFailureError), List.of(failed.getSuppressed()), "the action's error is kept with it");
        assertArrayEquals(alone(prompts.get(0), SamplingParams.greedy(30)).tokenIds(), result(healthy).tokenIds());
        // a completion action that passes the failure on by rethrowing it (a common way to propagate it)
        IllegalStateException brokeAgain = new IllegalStateException("listener broke again");
        CompletableFuture<GenerationResult> rethrown = submit(prompts.get(4), SamplingParams.greedy(4), piece -> {
            throw brokeAgain;
        }, new CancellationToken(), (r, e) -> {
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
        });
        assertSame(brokeAgain, failure(rethrown));
        assertEquals(0, brokeAgain.getSuppressed().length);
        GenerationResult next = result(submit(prompts.get(5), SamplingParams.greedy(6), TextStreamListener.NONE,
                new CancellationToken()));
        assertArrayEquals(alone(prompts.get(5), SamplingParams.greedy(6)).tokenIds(), next.tokenIds());
        assertEquals(0, scheduler.pool().busy(), "every slot was given back");
    }
}
