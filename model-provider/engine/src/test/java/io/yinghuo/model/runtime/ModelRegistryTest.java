package io.yinghuo.model.runtime;

import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.generate.CancellationToken;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.generate.TextStreamListener;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.synth.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelRegistryTest {

    @TempDir
    static Path dir;
    static Path folder;
    static final ModelOptions OPTIONS = ModelOptions.defaults().withDevice(DeviceSpec.CPU).withThreads(1)
            .withContextLength(64);

    @BeforeAll
    static void synthesize() throws Exception {
        folder = Files.createDirectories(dir.resolve("tiny"));
        CheckpointSynthesizer.builder().shape(Shape.TINY).seed(3).build().write(folder);
        SentencePieceModelWriter.small().write(folder.resolve(LlamaModel.TOKENIZER_FILE));
    }

    @Test
    void loadsAFolderOnceWhateverPathNamesItAndFreesItAfterTheLastLease() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), folder);
        int before = ModelRegistry.heldModels();
        ModelLease first = ModelRegistry.acquire(folder, OPTIONS, line -> { });
        ModelLease second = ModelRegistry.acquire(link, OPTIONS, line -> { });
        ModelLease third = ModelRegistry.acquire(folder.resolve("..").resolve("tiny"), OPTIONS, line -> { });
        assertSame(first.model(), second.model());
        assertSame(first.model(), third.model());
        assertSame(first.worker(), second.worker(), "one queue per loaded model");
        assertEquals(before + 1, ModelRegistry.heldModels());

        ModelLease other = ModelRegistry.acquire(folder, OPTIONS.withContextLength(32), line -> { });
        assertNotSame(first.model(), other.model(), "other options are another load");
        other.close();

        first.close();
        first.close(); // idempotent
        second.close();
        assertEquals(before + 1, ModelRegistry.heldModels(), "still held by the third lease");
        third.close();
        assertEquals(before, ModelRegistry.heldModels());
        assertThrows(IllegalStateException.class, () -> third.worker().submit(new int[] {1},
                SamplingParams.greedy(1), TextStreamListener.NONE, new CancellationToken()));
    }

    @Test
    void aFolderThatCannotBeLoadedLeavesNothingBehind() {
        int before = ModelRegistry.heldModels();
        assertThrows(ModelLoadException.class, () -> ModelRegistry.acquire(dir.resolve("missing"), OPTIONS,
                line -> { }));
        Path empty = dir.resolve("empty");
        assertThrows(ModelLoadException.class, () -> ModelRegistry.acquire(Files.createDirectories(empty),
                OPTIONS, line -> { }));
        assertEquals(before, ModelRegistry.heldModels());
    }

    @Test
    void servesJobsInArrivalOrderAndSkipsAJobCancelledWhileQueued() throws Exception {
        // one slot: the jobs queue for it in arrival order (with more slots they would decode together)
        try (ModelLease lease = ModelRegistry.acquire(folder, OPTIONS.withMaxSequences(1), line -> { })) {
            ModelWorker worker = lease.worker();
            CountDownLatch release = new CountDownLatch(1);
            List<Integer> order = new CopyOnWriteArrayList<>();
            // The first job's listener holds the worker until every other job is queued.
            TextStreamListener gate = piece -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            List<CompletableFuture<GenerationResult>> jobs = new ArrayList<>();
            jobs.add(worker.submit(new int[] {1, 300}, SamplingParams.greedy(2), gate, new CancellationToken()));
            CancellationToken cancelled = new CancellationToken();
            for (int i = 1; i <= 4; i++) {
                int id = i;
                CancellationToken token = i == 2 ? cancelled : new CancellationToken();
                jobs.add(worker.submit(new int[] {1, 300 + i}, SamplingParams.greedy(2), TextStreamListener.NONE,
                        token).whenComplete((r, e) -> order.add(id)));
            }
            cancelled.cancel();
            release.countDown();
            for (CompletableFuture<GenerationResult> job : jobs) {
                job.join();
            }
            // the cancelled job leaves the queue at once, the others are served in arrival order
            assertEquals(List.of(1, 3, 4), order.stream().filter(i -> i != 2).toList());
            assertTrue(order.indexOf(2) < order.indexOf(3), "order " + order);
            GenerationResult skipped = jobs.get(2).join();
            assertEquals(io.yinghuo.model.generate.FinishReason.CANCELLED, skipped.finishReason());
            assertEquals(0, skipped.generatedTokens());
            assertTrue(jobs.get(1).join().generatedTokens() > 0 || jobs.get(1).join().finishReason()
                    == io.yinghuo.model.generate.FinishReason.STOP);
        }
    }

    /**
     * A model the caller loaded itself (a LangChain4j builder given a model, the server's own) shares one worker
     * among its leases, is counted while leased, and stays the caller's: the last lease does not close it.
     */
    @Test
    void anAttachedModelSharesOneWorkerAndStaysOpenAfterItsLastLease() throws Exception {
        try (LlamaModel own = LlamaModel.load(folder, OPTIONS)) {
            int before = ModelRegistry.heldModels();
            ModelLease first = ModelRegistry.attach(own);
            ModelLease second = ModelRegistry.attach(own);
            assertSame(own, first.model());
            assertSame(first.worker(), second.worker(), "one queue per model");
            assertEquals(before + 1, ModelRegistry.heldModels());
            first.close();
            assertTrue(first.isClosed());
            assertFalse(second.isClosed());
            assertEquals(before + 1, ModelRegistry.heldModels(), "still leased once");
            second.close();
            assertEquals(before, ModelRegistry.heldModels());
            try (var session = own.newSession()) {
                assertEquals(0, session.length(), "the caller's model is still open");
                session.forward(new int[] {1, 5});
            }
            ModelLease again = ModelRegistry.attach(own);
            assertNotSame(first.worker(), again.worker(), "a new worker after the last lease ended");
            again.close();
        }
    }
}
