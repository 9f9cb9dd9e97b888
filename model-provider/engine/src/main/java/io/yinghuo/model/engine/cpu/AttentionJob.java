package io.yinghuo.model.engine.cpu;

/**
 * Causal attention of a batch of query rows against the session's KV cache, one task per (row, head): scores
 * q.k / sqrt(d) in float, softmax in float with the maximum subtracted, then the weighted sum of values
 * (softmax(q k^T / sqrt(d)) v with a causal mask, as in transformers' LlamaAttention). With grouped-query attention
 * head h reads kv head h / (heads / kvHeads) (transformers {@code repeat_kv}).
 */
final class AttentionJob implements WorkerPool.RangeTask {
    private final CpuKernels kernels;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int hidden;
    private final float scale;
    private final float[][] scores;

    private KvCache[] caches;
    private int[] positions;
    private int layer;
    private float[] q;
    private float[] out;

    AttentionJob(CpuKernels kernels, int heads, int kvHeads, int headDim, int workers) {
        this.kernels = kernels;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.hidden = heads * headDim;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        this.scores = new float[workers][0];
    }

    /**
     * Row m of {@code q} (rows x hidden) belongs to the sequence cached in {@code caches[m]}, sits at position
     * {@code positions[m]} and sees that cache's positions 0..positions[m], which must already hold its keys and
     * values (those of this batch's earlier rows of the same sequence included).
     */
    void run(WorkerPool pool, KvCache[] caches, int[] positions, int layer, float[] q, float[] out, int rows) {
        int need = 0;
        int capacity = 0;
        for (int m = 0; m < rows; m++) {
            need = Math.max(need, positions[m] + 1);
            capacity = Math.max(capacity, caches[m].capacity);
        }
        for (int w = 0; w < scores.length; w++) {
            if (scores[w].length < need) {
                // grows with the longest context seen, not per call
                scores[w] = new float[Math.max(need, Math.min(capacity, 2 * scores[w].length))];
            }
        }
        this.caches = caches;
        this.positions = positions;
        this.layer = layer;
        this.q = q;
        this.out = out;
        pool.run(rows * heads, this);
        this.caches = null;
        this.q = null;
        this.out = null;
    }

    @Override
    public void run(int worker, int from, int to) {
        float[] s = scores[worker];
        int group = heads / kvHeads;
        for (int task = from; task < to; task++) {
            int m = task / heads;
            int h = task % heads;
            int qo = m * hidden + h * headDim;
            int len = positions[m] + 1;
            KvCache cache = caches[m];
            int kvOff = cache.offset(h / group, 0); // positions 0..len-1 of this kv head lie end to end
            kernels.dotHalfRows(q, qo, cache.keys[layer], kvOff, headDim, len, s, 0);
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < len; t++) {
                float v = s[t] * scale;
                s[t] = v;
                if (v > max) {
                    max = v;
                }
            }
            float inv = (float) (1.0 / kernels.expShifted(s, len, max));
            for (int t = 0; t < len; t++) {
                s[t] *= inv;
            }
            kernels.weightedSumHalf(s, 0, cache.values[layer], kvOff, headDim, len, out, qo);
        }
    }
}
