package io.yinghuo.model.engine.cpu;

import java.util.Arrays;

/**
 * Causal attention of a batch of query rows against the session's KV cache: scores q.k / sqrt(d) in float,
 * softmax in float with the maximum subtracted, then the weighted sum of values (softmax(q k^T / sqrt(d)) v with a
 * causal mask, as in transformers' LlamaAttention). With grouped-query attention head h reads kv head
 * h / (heads / kvHeads) (transformers {@code repeat_kv}).
 *
 * <p>One task per (query group, head). A prompt's consecutive rows of one sequence form groups of up to
 * {@value #GROUP} queries that read the same keys and values (row i of a group sees one position more than row
 * i - 1), so each cached vector is converted from fp16 once for the group ({@link CpuKernels#dotHalfRows4},
 * {@link CpuKernels#weightedSumHalf4}); each row's positions past its own are masked (probability 0). Rows of
 * different sequences (a decode step of several streams) are groups of one.
 */
final class AttentionJob implements WorkerPool.RangeTask {
    static final int GROUP = 4;

    private final CpuKernels kernels;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int hidden;
    private final float scale;
    private final float[][] scores;
    private int[] groupFirst = new int[0];
    private int[] groupRows = new int[0];

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
        int groups = group(caches, positions, rows);
        int need = 0;
        int capacity = 0;
        for (int m = 0; m < rows; m++) {
            need = Math.max(need, positions[m] + 1);
            capacity = Math.max(capacity, caches[m].capacity);
        }
        for (int w = 0; w < scores.length; w++) {
            if (scores[w].length < GROUP * need) {
                // grows with the longest context seen, not per call
                scores[w] = new float[GROUP * Math.max(need, Math.min(capacity, 2 * scores[w].length / GROUP))];
            }
        }
        this.caches = caches;
        this.positions = positions;
        this.layer = layer;
        this.q = q;
        this.out = out;
        pool.run(groups * heads, this);
        this.caches = null;
        this.q = null;
        this.out = null;
    }

    /** Splits rows into groups of up to GROUP consecutive positions of one cache; returns the number of groups. */
    private int group(KvCache[] caches, int[] positions, int rows) {
        if (groupFirst.length < rows) {
            groupFirst = new int[rows];
            groupRows = new int[rows];
        }
        int groups = 0;
        for (int m = 0; m < rows; ) {
            int n = 1;
            while (n < GROUP && m + n < rows && caches[m + n] == caches[m]
                    && positions[m + n] == positions[m] + n) {
                n++;
            }
            groupFirst[groups] = m;
            groupRows[groups++] = n;
            m += n;
        }
        return groups;
    }

    @Override
    public void run(int worker, int from, int to) {
        float[] s = scores[worker];
        int perKv = heads / kvHeads;
        for (int task = from; task < to; task++) {
            int g = task / heads;
            int h = task % heads;
            int m = groupFirst[g];
            int n = groupRows[g];
            int qo = m * hidden + h * headDim;
            int len = positions[m + n - 1] + 1; // the group's last row sees the most positions
            KvCache cache = caches[m];
            int kvOff = cache.offset(h / perKv, 0); // positions 0..len-1 of this kv head lie end to end
            short[] keys = cache.keys[layer];
            short[] values = cache.values[layer];
            if (n == GROUP) {
                kernels.dotHalfRows4(q, qo, hidden, keys, kvOff, headDim, len, s, 0, len);
                for (int i = 0; i < GROUP; i++) {
                    softmax(s, i * len, positions[m + i] + 1, len);
                }
                kernels.weightedSumHalf4(s, 0, len, values, kvOff, headDim, len, out, qo, hidden);
            } else {
                for (int i = 0; i < n; i++) {
                    int rowLen = positions[m + i] + 1;
                    kernels.dotHalfRows(q, qo + i * hidden, keys, kvOff, headDim, rowLen, s, 0);
                    softmax(s, 0, rowLen, rowLen);
                    kernels.weightedSumHalf(s, 0, values, kvOff, headDim, rowLen, out, qo + i * hidden);
                }
            }
        }
    }

    /** Scores s[from..from+len) scaled and turned into probabilities; s[from+len..from+span) masked to 0. */
    private void softmax(float[] s, int from, int len, int span) {
        float max = Float.NEGATIVE_INFINITY;
        for (int t = from; t < from + len; t++) {
            float v = s[t] * scale;
            s[t] = v;
            if (v > max) {
                max = v;
            }
        }
        float inv = (float) (1.0 / kernels.expShifted(s, from, len, max));
        for (int t = from; t < from + len; t++) {
            s[t] *= inv;
        }
        Arrays.fill(s, from + len, from + span, 0f);
    }
}
