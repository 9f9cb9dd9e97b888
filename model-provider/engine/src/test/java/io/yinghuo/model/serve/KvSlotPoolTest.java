package io.yinghuo.model.serve;

import io.yinghuo.model.config.RopeScalingConfig;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.engine.RandomLlama.Spec;
import io.yinghuo.model.engine.cpu.ActivationMode;
import io.yinghuo.model.engine.cpu.CpuBackend;
import io.yinghuo.model.engine.cpu.CpuKernels;
import io.yinghuo.model.engine.cpu.KernelsProvider;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KV slot pool: its memory bound, the choice of slot (longest cached prefix, else least recently used), and
 * prefix reuse that gives the logits a fresh run gives.
 */
class KvSlotPoolTest {
    private static final int CAPACITY = 96;

    private static LoadedModel load(Spec spec) {
        return new CpuBackend().load(RandomLlama.build(spec), EngineOptions.defaults().withThreads(2));
    }

    @Test
    void theBudgetBoundsTheSlotsAndTheMemoryTheyTake() {
        try (LoadedModel model = load(Spec.tiny())) {
            long perSlot = model.kvBytesPerToken() * CAPACITY;
            assertEquals(3, KvSlotPool.slotsFor(model.kvBytesPerToken(), CAPACITY, 3, 0));
            assertEquals(1, KvSlotPool.slotsFor(model.kvBytesPerToken(), CAPACITY, 3, perSlot / 2),
                    "a budget below one slot still serves one sequence");
            try (KvSlotPool pool = new KvSlotPool(model, CAPACITY, 8, perSlot * 5 / 2, Integer.MAX_VALUE)) {
                assertEquals(2, pool.slots());
                assertEquals(2 * perSlot, pool.boundBytes());
                Random random = new Random(1);
                for (int i = 0; i < 20; i++) {
                    KvSlotPool.Lease a = pool.acquire(RandomLlama.tokens(random, 5, 50));
                    KvSlotPool.Lease b = pool.acquire(RandomLlama.tokens(random, 5, 50));
                    assertNull(pool.acquire(RandomLlama.tokens(random, 5, 50)), "both slots are busy");
                    a.slot().session().forward(RandomLlama.tokens(random, 4, 50));
                    b.slot().session().forward(RandomLlama.tokens(random, 4, 50));
                    pool.release(a.slot());
                    pool.release(b.slot());
                    assertTrue(pool.allocatedBytes() <= pool.boundBytes());
                }
                assertEquals(pool.boundBytes(), pool.allocatedBytes());
                assertEquals(0, pool.busy());
            }
        }
    }

    @Test
    void aPromptGoesToTheSlotWithItsLongestPrefixElseToTheLeastRecentlyUsed() {
        try (LoadedModel model = load(Spec.tiny());
             KvSlotPool pool = new KvSlotPool(model, CAPACITY, 2, 0, Integer.MAX_VALUE)) {
            int[] first = {1, 10, 11, 12, 13};
            int[] second = {1, 20, 21, 22};
            KvSlot a = run(pool, first);
            KvSlot b = run(pool, second);
            assertNotSame(a, b, "a never-used slot is taken before a cached prefix is evicted");
            KvSlotPool.Lease follow = pool.acquire(new int[] {1, 10, 11, 12, 13, 14, 15});
            assertSame(a, follow.slot());
            assertEquals(5, follow.reused());
            pool.release(follow.slot());
            KvSlotPool.Lease other = pool.acquire(new int[] {1, 30, 31});
            assertSame(b, other.slot(), "nothing shared beyond BOS: the least recently used slot is evicted");
            assertEquals(1, other.reused());
            pool.release(other.slot());
            KvSlotPool.Lease same = pool.acquire(first);
            assertEquals(first.length - 1, same.reused(), "the last prompt token always runs: its logits are needed");
        }
    }

    @Test
    void amongCachedSlotsThePromptThatSharesNothingEvictsTheLeastRecentlyUsed() {
        try (LoadedModel model = load(Spec.tiny());
             KvSlotPool pool = new KvSlotPool(model, CAPACITY, 3, 0, Integer.MAX_VALUE)) {
            KvSlot a = run(pool, new int[] {1, 10, 11, 12});
            KvSlot b = run(pool, new int[] {1, 20, 21, 22});
            KvSlot c = run(pool, new int[] {1, 30, 31, 32});
            assertEquals(3, java.util.Set.of(a, b, c).size(), "three never-used slots first");
            assertSame(a, run(pool, new int[] {1, 40, 41, 42}), "a was used least recently");
            assertSame(b, run(pool, new int[] {1, 20, 21, 22, 23}), "b serves its own prefix and is now the newest");
            assertSame(c, run(pool, new int[] {1, 45, 46, 47}), "then c, the oldest left");
            assertSame(a, run(pool, new int[] {1, 15, 16, 17}));
        }
    }

    private static KvSlot run(KvSlotPool pool, int[] prompt) {
        KvSlotPool.Lease lease = pool.acquire(prompt);
        int[] rest = Arrays.copyOfRange(prompt, lease.reused(), prompt.length);
        lease.slot().session().forward(rest);
        lease.slot().appended(rest, prompt.length);
        pool.release(lease.slot());
        return lease.slot();
    }

    /**
     * Requests sharing a prompt prefix (RAG passages, a system prompt): the cached prefix plus the new tokens give
     * the logits of a fresh run bit for bit. The new part is longer than {@link CpuKernels#GEMV_ROWS_MAX} rows, so
     * it runs through the same prompt kernel as the fresh run (whose rows do not depend on the other rows).
     */
    @Test
    void reusingASharedPromptPrefixGivesTheLogitsOfAFreshRun() {
        Spec spec = Spec.tiny().withQuant(4, 32, true, true).withHeads(4, 2);
        Random random = new Random(3);
        int[] shared = RandomLlama.tokens(random, 40, spec.vocab());
        int[] first = concat(shared, RandomLlama.tokens(random, 6, spec.vocab()));
        int[] second = concat(shared, RandomLlama.tokens(random, CpuKernels.GEMV_ROWS_MAX + 7, spec.vocab()));
        try (LoadedModel model = load(spec);
             KvSlotPool pool = new KvSlotPool(model, CAPACITY, 1, 0, Integer.MAX_VALUE);
             InferenceSession fresh = model.newSession(CAPACITY)) {
            run(pool, first);
            KvSlotPool.Lease lease = pool.acquire(second);
            assertEquals(shared.length, lease.reused());
            float[] reused = lease.slot().session().forward(Arrays.copyOfRange(second, shared.length, second.length));
            assertArrayEquals(fresh.forward(second), reused);
        }
    }

    /**
     * A chat follow-up reuses the previous answer's keys too; those came from one-row decode passes, which sum
     * the weights in another order than the prompt kernel, so the logits agree to float rounding, not bit for bit
     * (1e-4 of max |logit|). Decode rows of 4-bit models also round their activations by default
     * ({@link ActivationMode#INT8X2}, about 15 bits per block; measured 1.3e-4 here): 1e-3 on that path.
     */
    @Test
    void aFollowUpReusingDecodedTokensStaysWithinFloatRounding() {
        Spec spec = Spec.tiny().withQuant(4, 32, true, true);
        Random random = new Random(4);
        int[] prompt = RandomLlama.tokens(random, 20, spec.vocab());
        int[] answer = RandomLlama.tokens(random, 6, spec.vocab());
        int[] followUp = concat(concat(prompt, answer), RandomLlama.tokens(random, 12, spec.vocab()));
        try (LoadedModel model = load(spec);
             KvSlotPool pool = new KvSlotPool(model, CAPACITY, 1, 0, Integer.MAX_VALUE);
             InferenceSession fresh = model.newSession(CAPACITY)) {
            KvSlotPool.Lease lease = pool.acquire(prompt);
            lease.slot().session().forward(prompt);
            lease.slot().appended(prompt, prompt.length);
            for (int id : answer) {
                lease.slot().session().forward(new int[] {id});
                lease.slot().appended(new int[] {id}, lease.slot().length() + 1);
            }
            pool.release(lease.slot());
            KvSlotPool.Lease next = pool.acquire(followUp);
            assertEquals(prompt.length + answer.length, next.reused());
            float[] reused = next.slot().session().forward(Arrays.copyOfRange(followUp, next.reused(),
                    followUp.length)).clone();
            float[] expected = fresh.forward(followUp);
            double max = 0;
            double diff = 0;
            for (int i = 0; i < expected.length; i++) {
                max = Math.max(max, Math.abs(expected[i]));
                diff = Math.max(diff, Math.abs(expected[i] - reused[i]));
            }
            double tolerance = KernelsProvider.get().activations().integer() ? 1e-3 : 1e-4;
            assertTrue(diff <= tolerance * max, "max difference " + diff + " of max |logit| " + max);
        }
    }

    /**
     * dynamic / ntk:auto rotate all keys of a call for its total length once past max positions: a prompt longer
     * than that reuses nothing (a fresh run rotates it all anew), and tokens appended by such a call are not reused.
     */
    @Test
    void lengthDependentRopeRefusesReusePastMaxPositions() {
        int maxPositions = 16;
        Spec spec = Spec.tiny().withRope(maxPositions, new RopeScalingConfig("dynamic", 2.0, 0));
        Random random = new Random(6);
        int[] short1 = RandomLlama.tokens(random, 10, spec.vocab());
        int[] long1 = concat(short1, RandomLlama.tokens(random, 12, spec.vocab()));
        try (LoadedModel model = load(spec);
             KvSlotPool pool = new KvSlotPool(model, CAPACITY, 1, 0, maxPositions);
             InferenceSession fresh = model.newSession(CAPACITY)) {
            run(pool, short1);
            KvSlotPool.Lease lease = pool.acquire(long1);
            assertEquals(0, lease.reused(), "22 tokens > max positions 16: every key is rotated for 22");
            float[] got = lease.slot().session().forward(long1).clone();
            lease.slot().appended(long1, long1.length);
            pool.release(lease.slot());
            assertArrayEquals(fresh.forward(long1), got);
            int[] within = Arrays.copyOf(long1, 14);
            assertEquals(0, pool.acquire(within).reused(),
                    "the cached keys were rotated for 22 tokens, not those a 14-token run computes");
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
