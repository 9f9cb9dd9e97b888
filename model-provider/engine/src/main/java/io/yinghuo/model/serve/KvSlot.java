package io.yinghuo.model.serve;

import io.yinghuo.model.engine.InferenceSession;

import java.util.Arrays;

/**
 * One slot of a {@link KvSlotPool}: a session of the pool's capacity (allocated on first use) and the tokens its KV
 * cache holds, so that a later prompt starting with the same tokens can skip them. Touched by the pool's owner
 * thread only.
 */
public final class KvSlot {
    private final KvSlotPool pool;
    private final int index;
    private InferenceSession session;
    private int[] tokens = new int[0];
    /** Leading tokens whose keys a fresh run of the same tokens would compute alike (see {@link #appended}). */
    private int exact;
    private long lastUsed;
    private boolean busy;

    KvSlot(KvSlotPool pool, int index) {
        this.pool = pool;
        this.index = index;
    }

    public int index() {
        return index;
    }

    /** The slot's session, allocated the first time it is asked for. */
    public InferenceSession session() {
        if (session == null) {
            session = pool.model().newSession(pool.slotCapacity());
        }
        return session;
    }

    boolean allocated() {
        return session != null;
    }

    /** Tokens the cache holds (a copy). */
    public int[] tokens() {
        return Arrays.copyOf(tokens, length());
    }

    public int length() {
        return session == null ? 0 : Math.min(tokens.length, session.length());
    }

    boolean busy() {
        return busy;
    }

    long lastUsed() {
        return lastUsed;
    }

    void take(long tick) {
        busy = true;
        lastUsed = tick;
    }

    void release(long tick) {
        busy = false;
        lastUsed = tick;
    }

    /**
     * Leading tokens of {@code prompt} this slot can serve from its cache, at most {@code prompt.length - 1} (the
     * logits after the last prompt token are always computed). With length-dependent RoPE ({@code dynamic},
     * {@code ntk:auto}) a prompt longer than the model's max positions would rotate every key for its own length, so
     * nothing is reused for it, and only tokens whose keys were rotated within max positions count.
     */
    int reusable(int[] prompt) {
        if (prompt.length > pool.ropeExactLimit()) {
            return 0;
        }
        int limit = Math.min(Math.min(length(), exact), prompt.length - 1);
        int common = 0;
        while (common < limit && tokens[common] == prompt[common]) {
            common++;
        }
        return common;
    }

    /** Keeps the first {@code keep} cached tokens (the start of a new sequence reusing them). */
    public void truncate(int keep) {
        if (keep > length()) {
            throw new IllegalArgumentException("cannot keep " + keep + " of " + length() + " cached tokens");
        }
        session().truncate(keep);
        tokens = Arrays.copyOf(tokens, keep);
        exact = Math.min(exact, keep);
    }

    /**
     * Records tokens the session has just appended, rotated for {@code ropeLength}. They count as exact when every
     * token before them is, and the rotation did not depend on a length past the model's max positions.
     */
    public void appended(int[] added, int ropeLength) {
        int before = tokens.length;
        tokens = Arrays.copyOf(tokens, before + added.length);
        System.arraycopy(added, 0, tokens, before, added.length);
        if (exact == before && ropeLength <= pool.ropeExactLimit()) {
            exact = tokens.length;
        }
    }

    /** Forgets the cached tokens (after a failed pass, whose cache content is unknown). */
    public void forget() {
        tokens = new int[0];
        exact = 0;
        if (session != null) {
            session.truncate(0);
        }
    }

    void close() {
        if (session != null) {
            session.close();
            session = null;
        }
        tokens = new int[0];
        exact = 0;
    }
}
