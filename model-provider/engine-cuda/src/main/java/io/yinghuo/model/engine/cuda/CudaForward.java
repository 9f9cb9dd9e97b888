package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.engine.LogitsConsumer;
import io.yinghuo.model.engine.rope.RopeAngles;
import io.yinghuo.model.weights.GptqLinear;
import io.yinghuo.model.weights.LayerWeights;
import io.yinghuo.model.weights.Linear;
import io.yinghuo.model.weights.LlamaWeights;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

import java.util.List;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

/**
 * The LLaMA forward pass on the GPU over one batch of up to {@code maxRows} consecutive tokens, the same steps as the
 * CPU's CpuForward (transformers models/llama/modeling_llama.py): embeddings, per layer RMSNorm, q/k/v, RoPE + KV
 * store, causal GQA attention, o_proj added to the residual, RMSNorm, gate/up, SiLU, down added to the residual; final
 * RMSNorm and lm_head only for the rows whose logits are wanted, copied back to the host. Owns the activation scratch,
 * so one pass runs at a time per model (the caller holds the model's lock and has made the context current).
 */
final class CudaForward {
    /** Rows pushed through lm_head together when every position's logits are wanted (one GEMM tile). */
    static final int LOGIT_ROWS = 64;
    /** Most key splits of a decode attention (flash-decoding); also bounds its partial buffers. */
    static final int MAX_ATTENTION_SPLITS = 64;
    /** Fewest keys per split. */
    static final int MIN_SPLIT_KEYS = 256;

    private final CudaModel model;
    private final CudaKernels k;
    private final LlamaConfig config;
    private final int maxRows;
    private final int hidden;
    private final int kvDim;
    private final int headDim;
    private final int vocab;
    private final int inter;

    private final CUdeviceptr tokens;
    private final CUdeviceptr cos;
    private final CUdeviceptr sin;
    private final CUdeviceptr x;
    private final CUdeviceptr xn;
    private final CUdeviceptr q;
    private final CUdeviceptr kBuf;
    private final CUdeviceptr vBuf;
    private final CUdeviceptr att;
    private final CUdeviceptr gate;
    private final CUdeviceptr up;
    private final CUdeviceptr gather;
    private final CUdeviceptr partial;
    private final CUdeviceptr attMax;
    private final CUdeviceptr attSum;
    private final CUdeviceptr attAcc;
    private final CUdeviceptr logits;
    private final float[] cosHost;
    private final float[] sinHost;
    private final float[] logitRows;
    private final float[] logitsRow;

    CudaForward(CudaModel model, int maxRows, DeviceMemory memory) {
        this.model = model;
        this.k = model.kernels();
        this.config = model.config();
        this.maxRows = maxRows;
        this.hidden = config.hiddenSize();
        this.kvDim = config.kvDim();
        this.headDim = config.headDim();
        this.vocab = config.vocabSize();
        this.inter = config.intermediateSize();
        int half = headDim / 2;
        long gatherPerRow = 0;
        long partialFloats = 0;
        for (DeviceLinear l : model.allLinears()) {
            gatherPerRow = Math.max(gatherPerRow, l.gatherFloatsPerRow());
            partialFloats = Math.max(partialFloats, l.partialFloats());
        }
        int heads = config.numHeads();
        this.tokens = memory.allocate(4L * maxRows);
        this.cos = memory.allocate(4L * maxRows * half);
        this.sin = memory.allocate(4L * maxRows * half);
        this.x = memory.allocate(4L * maxRows * hidden);
        this.xn = memory.allocate(4L * maxRows * hidden);
        this.q = memory.allocate(4L * maxRows * hidden);
        this.kBuf = memory.allocate(4L * maxRows * kvDim);
        this.vBuf = memory.allocate(4L * maxRows * kvDim);
        this.att = memory.allocate(4L * maxRows * hidden);
        this.gate = memory.allocate(4L * maxRows * inter);
        this.up = memory.allocate(4L * maxRows * inter);
        this.gather = memory.allocate(4L * maxRows * gatherPerRow);
        this.partial = memory.allocate(4L * partialFloats);
        this.attMax = memory.allocate(4L * heads * MAX_ATTENTION_SPLITS);
        this.attSum = memory.allocate(4L * heads * MAX_ATTENTION_SPLITS);
        this.attAcc = memory.allocate(4L * heads * MAX_ATTENTION_SPLITS * headDim);
        int logitBatch = Math.min(maxRows, LOGIT_ROWS);
        this.logits = memory.allocate(4L * logitBatch * vocab);
        this.cosHost = new float[maxRows * half];
        this.sinHost = new float[maxRows * half];
        this.logitRows = new float[logitBatch * vocab];
        this.logitsRow = new float[vocab];
    }

    /** Bytes one token of context costs in a session's KV cache: fp16 keys and values of every layer. */
    static long kvBytesPerToken(LlamaConfig c) {
        return (long) c.numLayers() * 2 * c.kvDim() * 2;
    }

    /** An upper bound of what the constructor allocates, for the memory check before any upload. */
    static long scratchBytesEstimate(LlamaConfig c, LlamaWeights w, int rows) {
        long gatherPerRow = 0;
        long partialFloats = 0;
        for (LayerWeights l : w.layers()) {
            for (Linear linear : List.of(l.qProj(), l.kProj(), l.vProj(), l.oProj(), l.gateProj(), l.upProj(),
                    l.downProj(), w.lmHead())) {
                if (linear instanceof GptqLinear g) {
                    int per = 32 / g.bits();
                    gatherPerRow = Math.max(gatherPerRow, g.inFeatures() + (long) g.groups() * per
                            + GptqLayout.ROW_ALIGN);
                    // at most one split per 8 chunks, a chunk being at least one word
                    partialFloats = Math.max(partialFloats, (long) g.outFeatures()
                            * Math.max(1, (g.inFeatures() / per + g.groups()) / CudaKernels.GEMV_THREAD_ROWS));
                }
            }
            break; // every layer has the same shapes
        }
        long h = c.hiddenSize();
        long floats = rows * (1 + c.headDim() + 4 * h + 2L * c.kvDim() + 2L * c.intermediateSize() + gatherPerRow)
                + partialFloats + (long) c.numHeads() * MAX_ATTENTION_SPLITS * (c.headDim() + 2)
                + (long) Math.min(rows, LOGIT_ROWS) * c.vocabSize();
        return 4 * floats;
    }

    int maxRows() {
        return maxRows;
    }

    /**
     * Runs tokens[offset..offset+rows) at positions pos0.. and writes their keys and values into the cache.
     *
     * @param keys the session's key cache [layers, capacity, kvDim] (values alike)
     * @param ropeLength the sequence length the rotation is computed for (matters for dynamic / ntk:auto)
     * @param all when non-null, receives the logits of every row, indices starting at {@code firstIndex}
     * @param last when non-null (and all is null), receives the logits of the last row
     */
    void run(CUdeviceptr keys, CUdeviceptr values, int capacity, int[] tokenIds, int offset, int rows, int pos0,
             int ropeLength, LogitsConsumer all, int firstIndex, float[] last) {
        if (rows < 1 || rows > maxRows) {
            throw new IllegalArgumentException("batch of " + rows + " rows, expected 1.." + maxRows);
        }
        cuMemcpyHtoD(tokens, Pointer.to(tokenIds).withByteOffset(4L * offset), 4L * rows);
        k.embed(model.embeddingMatrix().dtype(), model.embeddings(), tokens, x, rows, hidden);
        uploadRotation(rows, pos0, ropeLength);
        double eps = config.rmsNormEps();
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        long layerBytes = 2L * capacity * kvDim;
        int keysVisible = pos0 + rows;
        int splits = 1;
        int splitLen = keysVisible;
        if (rows == 1) {
            // flash-decoding: split long contexts over more blocks, partial results merged by attention_combine
            splitLen = Math.max(MIN_SPLIT_KEYS, roundUp(ceilDiv(keysVisible, MAX_ATTENTION_SPLITS),
                    CudaKernels.ATTENTION_KEYS));
            splits = ceilDiv(keysVisible, splitLen);
        }
        for (int l = 0; l < model.layers().size(); l++) {
            CudaModel.Layer layer = model.layers().get(l);
            CUdeviceptr kc = keys.withByteOffset(l * layerBytes);
            CUdeviceptr vc = values.withByteOffset(l * layerBytes);
            k.rmsNorm(x, layer.inputNorm(), xn, rows, hidden, eps);
            linear(layer.q(), xn, rows, q, false);
            linear(layer.k(), xn, rows, kBuf, false);
            linear(layer.v(), xn, rows, vBuf, false);
            k.ropeStore(q, kBuf, vBuf, cos, sin, kc, vc, rows, heads, kvHeads, headDim, pos0);
            if (splits == 1) {
                k.attention(q, kc, vc, att, CudaKernels.NULL, CudaKernels.NULL, CudaKernels.NULL, rows, pos0, heads,
                        kvHeads, headDim, 1, splitLen);
            } else {
                k.attention(q, kc, vc, att, attMax, attSum, attAcc, rows, pos0, heads, kvHeads, headDim, splits,
                        splitLen);
                k.attentionCombine(attMax, attSum, attAcc, att, rows, heads, headDim, splits);
            }
            linear(layer.o(), att, rows, x, true);
            k.rmsNorm(x, layer.postNorm(), xn, rows, hidden, eps);
            linear(layer.gate(), xn, rows, gate, false);
            linear(layer.up(), xn, rows, up, false);
            k.siluMul(gate, up, (long) rows * inter);
            linear(layer.down(), gate, rows, x, true);
        }
        if (all != null) {
            emitAll(rows, all, firstIndex, eps);
        } else if (last != null) {
            k.rmsNorm(x.withByteOffset(4L * (rows - 1) * hidden), model.finalNorm(), xn, 1, hidden, eps);
            linear(model.lmHead(), xn, 1, logits, false);
            cuMemcpyDtoH(Pointer.to(last), logits, 4L * vocab); // waits for the pass
        }
    }

    private void emitAll(int rows, LogitsConsumer consumer, int firstIndex, double eps) {
        k.rmsNorm(x, model.finalNorm(), xn, rows, hidden, eps);
        int batch = Math.min(maxRows, LOGIT_ROWS);
        for (int m0 = 0; m0 < rows; m0 += batch) {
            int n = Math.min(batch, rows - m0);
            linear(model.lmHead(), xn.withByteOffset(4L * m0 * hidden), n, logits, false);
            cuMemcpyDtoH(Pointer.to(logitRows), logits, 4L * n * vocab);
            for (int j = 0; j < n; j++) {
                System.arraycopy(logitRows, j * vocab, logitsRow, 0, vocab);
                consumer.accept(firstIndex + m0 + j, logitsRow);
            }
        }
    }

    private void linear(DeviceLinear l, CUdeviceptr in, int rows, CUdeviceptr out, boolean accumulate) {
        l.run(k, in, rows, out, accumulate, gather, partial);
    }

    /** cos/sin of positions pos0..pos0+rows-1 computed on the host in double, as the CPU backend does. */
    private void uploadRotation(int rows, int pos0, int ropeLength) {
        RopeAngles angles = model.rotary().angles(ropeLength);
        int half = headDim / 2;
        float[] c = new float[half];
        float[] s = new float[half];
        for (int m = 0; m < rows; m++) {
            angles.cosSin(pos0 + m, c, s);
            System.arraycopy(c, 0, cosHost, m * half, half);
            System.arraycopy(s, 0, sinHost, m * half, half);
        }
        cuMemcpyHtoD(cos, Pointer.to(cosHost), 4L * rows * half);
        cuMemcpyHtoD(sin, Pointer.to(sinHost), 4L * rows * half);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int roundUp(int a, int multiple) {
        return ceilDiv(a, multiple) * multiple;
    }
}
