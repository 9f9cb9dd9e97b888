package io.yinghuo.model.serve;

import io.yinghuo.model.engine.LoadedModel;

import java.util.ArrayList;
import java.util.List;

/**
 * A model's KV memory for serving: a fixed number of slots, each a session able to hold {@code slotCapacity}
 * tokens, as many as a budget of bytes allows (at least one, at most {@code maxSequences}). The same slots serve
 * continuous batching (one running sequence per slot) and prefix reuse (an idle slot keeps its tokens, and a new
 * prompt goes to the idle slot holding the longest common prefix of it; without one, to the least recently used idle
 * slot, so the cache is a bounded LRU over whole sequences). A slot's session is allocated the first time it is
 * needed, so the bound is {@link #slots()} x {@code slotCapacity} x {@link LoadedModel#kvBytesPerToken()} and a
 * single user never pays for more than one.
 *
 * <p>Any backend serves it: it only asks the model for sessions. Not thread-safe: the model worker's thread owns it.
 */
public final class KvSlotPool implements AutoCloseable {

    /** A slot and the leading prompt tokens it already holds. */
    public record Lease(KvSlot slot, int reused) {
    }

    private final LoadedModel model;
    private final int slotCapacity;
    private final int ropeExactLimit;
    private final List<KvSlot> slots = new ArrayList<>();
    private long tick;

    /**
     * @param maxSequences   the most sequences served at once
     * @param budgetBytes    KV bytes the slots may take together (at least one slot is made); 0 = one slot per
     *                       sequence
     * @param ropeExactLimit the longest sequence whose keys do not depend on its length: the model's max positions
     *                       with length-dependent RoPE ({@code dynamic}, {@code ntk:auto}), else
     *                       {@link Integer#MAX_VALUE}
     * @throws IllegalArgumentException for a non-positive capacity or sequence count, or a negative budget
     */
    public KvSlotPool(LoadedModel model, int slotCapacity, int maxSequences, long budgetBytes, int ropeExactLimit) {
        if (slotCapacity < 1 || maxSequences < 1 || budgetBytes < 0) {
            throw new IllegalArgumentException("slot capacity " + slotCapacity + ", max sequences " + maxSequences
                    + ", budget " + budgetBytes + " bytes: expected positive, positive, >= 0");
        }
        this.model = model;
        this.slotCapacity = slotCapacity;
        this.ropeExactLimit = ropeExactLimit;
        int count = slotsFor(model.kvBytesPerToken(), slotCapacity, maxSequences, budgetBytes);
        for (int i = 0; i < count; i++) {
            slots.add(new KvSlot(this, i));
        }
    }

    /** Slots a budget holds: budget / bytes per slot, at least 1 (a smaller budget still serves one), at most maxSequences. */
    public static int slotsFor(long kvBytesPerToken, int slotCapacity, int maxSequences, long budgetBytes) {
        if (budgetBytes == 0) {
            return maxSequences;
        }
        long perSlot = kvBytesPerToken * slotCapacity;
        return (int) Math.max(1, Math.min(maxSequences, budgetBytes / perSlot));
    }

    LoadedModel model() {
        return model;
    }

    public int slotCapacity() {
        return slotCapacity;
    }

    int ropeExactLimit() {
        return ropeExactLimit;
    }

    /** Number of slots: the most sequences served at once. */
    public int slots() {
        return slots.size();
    }

    /** The most KV bytes the pool can take: slots x capacity x bytes per token. */
    public long boundBytes() {
        return slots.size() * (long) slotCapacity * model.kvBytesPerToken();
    }

    /** KV bytes of the sessions allocated so far. */
    public long allocatedBytes() {
        long n = slots.stream().filter(KvSlot::allocated).count();
        return n * slotCapacity * model.kvBytesPerToken();
    }

    /** Slots running a sequence now. */
    public int busy() {
        return (int) slots.stream().filter(KvSlot::busy).count();
    }

    /**
     * Takes the idle slot that serves the longest prefix of {@code prompt}, counting only slots that would keep at
     * least half of their cached tokens (a slot sharing just BOS or a system prompt with a prompt is not worth its
     * cache); among equals a never-used slot first, then the least recently used one, which is evicted. The slot
     * keeps the reused tokens and forgets the rest.
     *
     * @return the lease, or null when every slot is busy
     */
    public Lease acquire(int[] prompt) {
        KvSlot best = null;
        int bestScore = -1;
        for (KvSlot s : slots) {
            if (s.busy()) {
                continue;
            }
            int reuse = s.reusable(prompt);
            int score = 2 * reuse >= s.length() ? reuse : 0;
            if (best == null || score > bestScore || score == bestScore && preferEvicting(s, best)) {
                best = s;
                bestScore = score;
            }
        }
        if (best == null) {
            return null;
        }
        int reused = best.reusable(prompt);
        best.take(++tick);
        best.truncate(reused);
        return new Lease(best, reused);
    }

    private static boolean preferEvicting(KvSlot candidate, KvSlot current) {
        if (candidate.allocated() != current.allocated()) {
            // a slot never used evicts nothing: it keeps the other slots' prefixes for later prompts
            return !candidate.allocated();
        }
        return candidate.lastUsed() < current.lastUsed();
    }

    /** Gives a slot back; its cached tokens stay for a later prompt. */
    public void release(KvSlot slot) {
        slot.release(++tick);
    }

    /** Frees every session. */
    @Override
    public void close() {
        for (KvSlot s : slots) {
            s.close();
        }
    }
}
