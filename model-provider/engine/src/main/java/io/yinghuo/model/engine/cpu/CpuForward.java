package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.engine.LogitsConsumer;
import io.yinghuo.model.engine.rope.RopeAngles;
import io.yinghuo.model.engine.rope.RotaryEmbedding;

import java.util.Arrays;

/**
 * The LLaMA forward pass over one batch of up to {@code maxRows} consecutive tokens, as transformers'
 * models/llama/modeling_llama.py computes it: embeddings; per layer h += o_proj(attention(RMSNorm(h))) with RoPE on q
 * and k and causal GQA attention, then h += down(silu(gate(x)) * up(x)) with x = RMSNorm(h); final RMSNorm and lm_head
 * only for the rows whose logits are wanted. RMSNorm is x / sqrt(mean(x^2) + eps) * weight (arXiv:1910.07467,
 * LlamaRMSNorm); silu(x) = x * sigmoid(x). Each weight matrix is streamed once per batch. Owns the activation scratch,
 * so one pass runs at a time per model (the caller locks).
 */
final class CpuForward {
    /** Rows pushed through lm_head together when every position's logits are wanted. */
    static final int LOGIT_ROWS = 16;

    private final CpuModel model;
    private final LlamaConfig config;
    private final int maxRows;
    private final int hidden;
    private final int kvDim;
    private final int headDim;
    private final int vocab;

    private final float[] x;
    private final float[] xn;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] att;
    private final float[] proj;
    private final float[] gate;
    private final float[] up;
    private final float[] logitRows;
    private final float[] logitsRow;
    private final float[] cos;
    private final float[] sin;
    private final KernelScratch[] scratch;
    private final MatmulJob matmul;
    private final AttentionJob attention;
    // the rows of the pass being run: token, cache, position, rotation; and the rows whose logits are wanted
    private final int[] rowTokens;
    private final KvCache[] rowCache;
    private final int[] rowPos;
    private final RopeAngles[] rowAngles;
    private final int[] logitRow = new int[LOGIT_ROWS];
    private final float[][] logitTarget = new float[LOGIT_ROWS][];

    CpuForward(CpuModel model, int maxRows) {
        this.model = model;
        this.config = model.config();
        this.maxRows = maxRows;
        this.hidden = config.hiddenSize();
        this.kvDim = config.kvDim();
        this.headDim = config.headDim();
        this.vocab = config.vocabSize();
        int inter = config.intermediateSize();
        this.x = new float[maxRows * hidden];
        this.xn = new float[maxRows * hidden];
        this.q = new float[maxRows * hidden];
        this.k = new float[maxRows * kvDim];
        this.v = new float[maxRows * kvDim];
        this.att = new float[maxRows * hidden];
        this.proj = new float[Math.max(maxRows, LOGIT_ROWS) * hidden];
        this.gate = new float[maxRows * inter];
        this.up = new float[maxRows * inter];
        this.logitRows = new float[LOGIT_ROWS * vocab];
        this.rowTokens = new int[maxRows];
        this.rowCache = new KvCache[maxRows];
        this.rowPos = new int[maxRows];
        this.rowAngles = new RopeAngles[maxRows];
        this.logitsRow = new float[vocab];
        this.cos = new float[headDim / 2];
        this.sin = new float[headDim / 2];

        int maxGather = 0;
        int maxGroups = 0;
        int maxBlocks = 0;
        int maxCols = Math.max(hidden, inter);
        for (CpuLinear l : model.allLinears()) {
            maxGather = Math.max(maxGather, l.gatherRowLength());
            maxGroups = Math.max(maxGroups, l.groups());
            maxBlocks = Math.max(maxBlocks, l.activationBlocks());
            maxCols = Math.max(maxCols, l.in);
        }
        int workers = model.pool().size();
        this.scratch = new KernelScratch[workers];
        for (int w = 0; w < workers; w++) {
            scratch[w] = new KernelScratch(maxCols, maxRows);
        }
        GptqInput[] inputs = new GptqInput[3];
        int gemvRows = Math.min(maxRows, CpuKernels.GEMV_ROWS_MAX);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = new GptqInput(maxRows, gemvRows, maxGather, maxGroups, maxBlocks);
        }
        this.matmul = new MatmulJob(model.kernels(), scratch, inputs);
        this.attention = new AttentionJob(model.kernels(), config.numHeads(), config.numKvHeads(), headDim, workers);
    }

    int maxRows() {
        return maxRows;
    }

    /**
     * Runs tokens[offset..offset+rows) at positions pos0.. and writes their keys/values into the cache.
     *
     * @param ropeLength the sequence length L the rotation is computed for (matters for dynamic / ntk:auto)
     * @param all when non-null, receives the logits of every row, indices starting at {@code firstIndex}
     * @param last when non-null (and all is null), receives the logits of the last row
     */
    void run(KvCache cache, int[] tokens, int offset, int rows, int pos0, int ropeLength, LogitsConsumer all,
             int firstIndex, float[] last) {
        checkRows(rows);
        RopeAngles angles = model.rotary().angles(ropeLength);
        for (int m = 0; m < rows; m++) {
            rowCache[m] = cache;
            rowPos[m] = pos0 + m;
            rowAngles[m] = angles;
            rowTokens[m] = tokens[offset + m];
        }
        layers(rows);
        if (all != null) {
            emitAll(rows, all, firstIndex);
        } else if (last != null) {
            logitRow[0] = rows - 1;
            logitTarget[0] = last;
            emitRows(1);
        }
        Arrays.fill(rowCache, 0, rows, null);
    }

    /**
     * Rows of several sequences in one pass: row m is token {@code tokens[m]} of the sequence whose cache is
     * {@code caches[m]}, at position {@code positions[m]}, rotated for {@code ropeLengths[m]}; a sequence's rows come
     * in position order. The logits of rows {@code wanted[j]} go to {@code targets[j]}, j < logitCount.
     */
    void runRows(int rows, int[] tokens, KvCache[] caches, int[] positions, int[] ropeLengths, int logitCount,
                 int[] wanted, float[][] targets) {
        checkRows(rows);
        RotaryEmbedding rotary = model.rotary();
        for (int m = 0; m < rows; m++) {
            rowCache[m] = caches[m];
            rowPos[m] = positions[m];
            rowAngles[m] = m > 0 && ropeLengths[m] == ropeLengths[m - 1] ? rowAngles[m - 1]
                    : rotary.angles(ropeLengths[m]);
            rowTokens[m] = tokens[m];
        }
        layers(rows);
        for (int start = 0; start < logitCount; start += LOGIT_ROWS) {
            int n = Math.min(LOGIT_ROWS, logitCount - start);
            System.arraycopy(wanted, start, logitRow, 0, n);
            System.arraycopy(targets, start, logitTarget, 0, n);
            emitRows(n);
        }
        Arrays.fill(rowCache, 0, rows, null);
        Arrays.fill(logitTarget, null);
    }

    private void checkRows(int rows) {
        if (rows < 1 || rows > maxRows) {
            throw new IllegalArgumentException("batch of " + rows + " rows, expected 1.." + maxRows);
        }
    }

    /** Embeddings and every decoder layer for the rows set up in rowTokens / rowCache / rowPos / rowAngles. */
    private void layers(int rows) {
        WorkerPool pool = model.pool();
        for (int m = 0; m < rows; m++) {
            ScalarKernels.convertRow(model.embeddings(), rowTokens[m], x, m * hidden, scratch[0]);
        }
        double eps = config.rmsNormEps();
        int inter = config.intermediateSize();
        for (int l = 0; l < model.layers().size(); l++) {
            CpuLayer layer = model.layers().get(l);
            for (int m = 0; m < rows; m++) {
                rmsNorm(x, m * hidden, layer.inputNorm(), xn, hidden, eps);
            }
            matmul.run(pool, xn, rows, layer.q(), q, layer.k(), k, layer.v(), v);
            for (int m = 0; m < rows; m++) {
                rowAngles[m].cosSin(rowPos[m], cos, sin);
                for (int h = 0; h < config.numHeads(); h++) {
                    RopeAngles.rotateHalf(q, m * hidden + h * headDim, cos, sin, headDim / 2);
                }
                for (int h = 0; h < config.numKvHeads(); h++) {
                    RopeAngles.rotateHalf(k, m * kvDim + h * headDim, cos, sin, headDim / 2);
                }
                rowCache[m].put(l, rowPos[m], k, v, m * kvDim);
            }
            attention.run(pool, rowCache, rowPos, l, q, att, rows);
            matmul.run(pool, att, rows, layer.o(), proj);
            addInPlace(x, proj, rows * hidden);
            for (int m = 0; m < rows; m++) {
                rmsNorm(x, m * hidden, layer.postNorm(), xn, hidden, eps);
            }
            matmul.run(pool, xn, rows, layer.gate(), gate, layer.up(), up);
            int n = rows * inter;
            for (int i = 0; i < n; i++) {
                float g = gate[i];
                gate[i] = (float) (g / (1.0 + Math.exp(-g))) * up[i]; // silu(gate) * up
            }
            matmul.run(pool, gate, rows, layer.down(), proj);
            addInPlace(x, proj, rows * hidden);
        }
    }

    /** Final norm and lm_head for rows logitRow[0..n), written to logitTarget[0..n); n <= LOGIT_ROWS. */
    private void emitRows(int n) {
        double eps = config.rmsNormEps();
        for (int j = 0; j < n; j++) {
            int r = logitRow[j];
            rmsNorm(x, r * hidden, model.finalNorm(), xn, hidden, eps);
            System.arraycopy(xn, r * hidden, proj, j * hidden, hidden);
        }
        if (n == 1) {
            matmul.run(model.pool(), proj, 1, model.lmHead(), logitTarget[0]);
            return;
        }
        matmul.run(model.pool(), proj, n, model.lmHead(), logitRows);
        for (int j = 0; j < n; j++) {
            System.arraycopy(logitRows, j * vocab, logitTarget[j], 0, vocab);
        }
    }

    private void emitAll(int rows, LogitsConsumer consumer, int firstIndex) {
        double eps = config.rmsNormEps();
        for (int m = 0; m < rows; m++) {
            rmsNorm(x, m * hidden, model.finalNorm(), xn, hidden, eps);
        }
        int batch = Math.min(maxRows, LOGIT_ROWS);
        for (int m0 = 0; m0 < rows; m0 += batch) {
            int n = Math.min(batch, rows - m0);
            System.arraycopy(xn, m0 * hidden, proj, 0, n * hidden);
            matmul.run(model.pool(), proj, n, model.lmHead(), logitRows);
            for (int j = 0; j < n; j++) {
                System.arraycopy(logitRows, j * vocab, logitsRow, 0, vocab);
                consumer.accept(firstIndex + m0 + j, logitsRow);
            }
        }
    }

    /** HF LlamaRMSNorm: x * rsqrt(mean(x^2) + eps) in fp32 (sum in double here), then times the weight. */
    static void rmsNorm(float[] in, int off, float[] weight, float[] out, int n, double eps) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            float a = in[off + i];
            ss += a * a;
        }
        float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) {
            out[off + i] = weight[i] * (in[off + i] * inv);
        }
    }

    private static void addInPlace(float[] acc, float[] add, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += add[i];
        }
    }
}
