package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.util.Fp16;

/**
 * Keys (after RoPE) and values of one session, stored as IEEE fp16 like the HF reference running in fp16:
 * per layer two arrays laid out head by head, [kvHeads, capacity, headDim], so that attending one head reads
 * its positions as one contiguous run (a position-major [capacity, kvDim] layout strides kvDim values between
 * positions: one 4 KiB page per position for a 7B-width model, which the hardware prefetchers do not follow;
 * measured 3x slower). Cost per token of context: layers x 2 x kvDim x 2 bytes, i.e. 0.5 MiB for the 7B shape
 * (32 layers, kvDim 4096): a 16,384-token context takes 8 GiB of heap.
 */
final class KvCache {
    final short[][] keys;
    final short[][] values;
    final int capacity;
    final int kvHeads;
    final int headDim;

    private KvCache(int layers, int capacity, int kvHeads, int headDim) {
        this.capacity = capacity;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.keys = new short[layers][];
        this.values = new short[layers][];
        for (int l = 0; l < layers; l++) {
            keys[l] = new short[capacity * kvHeads * headDim];
            values[l] = new short[capacity * kvHeads * headDim];
        }
    }

    /** Index of position {@code position}'s first value of kv head {@code kvHead} in a layer's array. */
    int offset(int kvHead, int position) {
        return (kvHead * capacity + position) * headDim;
    }

    /** Stores one position's keys and values (kvDim floats each, head after head) of layer {@code layer}. */
    void put(int layer, int position, float[] k, float[] v, int from) {
        short[] ks = keys[layer];
        short[] vs = values[layer];
        for (int h = 0; h < kvHeads; h++) {
            int at = offset(h, position);
            int src = from + h * headDim;
            for (int i = 0; i < headDim; i++) {
                ks[at + i] = Fp16.fromFloat(k[src + i]);
                vs[at + i] = Fp16.fromFloat(v[src + i]);
            }
        }
    }

    static long bytesPerToken(int layers, int kvDim) {
        return (long) layers * 2 * kvDim * 2;
    }

    /**
     * Allocates the cache, failing with the bytes needed when the heap cannot hold it.
     *
     * @throws IllegalStateException when it does not fit
     */
    static KvCache allocate(int layers, int capacity, int kvHeads, int headDim) {
        int kvDim = kvHeads * headDim;
        long perToken = bytesPerToken(layers, kvDim);
        long need = perToken * capacity;
        if ((long) capacity * kvDim > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a KV cache of " + capacity + " tokens x " + kvDim
                    + " values per layer exceeds one Java array; use a smaller context");
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need > free) {
            System.gc(); // one attempt to reclaim garbage of closed sessions before refusing
            free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        }
        if (need > free) {
            throw new IllegalStateException(tooBig(capacity, perToken, need, free));
        }
        try {
            return new KvCache(layers, capacity, kvHeads, headDim);
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException(tooBig(capacity, perToken, need, free), e);
        }
    }

    private static String tooBig(int capacity, long perToken, long need, long free) {
        return String.format("the KV cache for a %d-token context needs %,d bytes (%,d per token, fp16); "
                + "about %,d bytes of Java heap are free: use a shorter context or raise -Xmx",
                capacity, need, perToken, free);
    }
}
