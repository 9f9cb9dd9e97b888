package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.SequenceStep;
import io.yinghuo.model.engine.SessionInput;
import io.yinghuo.model.engine.rope.RotaryEmbedding;
import io.yinghuo.model.weights.DenseLinear;
import io.yinghuo.model.weights.LayerWeights;
import io.yinghuo.model.weights.LlamaWeights;

import java.util.ArrayList;
import java.util.List;

/**
 * A LLaMA model prepared for the CPU: GPTQ linears repacked ({@link PackedGptq}), dense ones read in place (a large
 * dense output head quantized to 8 bits, see {@link HeadQuantization}), one worker pool, one activation scratch.
 * Forward passes of all its sessions are serialized (they would compete for the same cores anyway).
 */
public final class CpuModel implements LoadedModel {
    private final LlamaConfig config;
    private final CpuKernels kernels;
    private final WorkerPool pool;
    private final DenseRows embeddings;
    private final List<CpuLayer> layers;
    private final float[] finalNorm;
    private final CpuLinear lmHead;
    private final RotaryEmbedding rotary;
    private final CpuForward forward;
    private final long weightBytesPerToken;

    CpuModel(LlamaWeights weights, EngineOptions options, CpuKernels kernels, HeadQuantization head) {
        this.config = weights.config();
        weights.validateShapes();
        this.kernels = kernels;
        this.rotary = new RotaryEmbedding(config, options.rope());
        this.embeddings = new DenseRows(weights.embeddings());
        this.finalNorm = weights.finalNorm();
        List<CpuLayer> prepared = new ArrayList<>();
        long bytes = (long) config.hiddenSize() * weights.embeddings().dtype().bytes();
        for (LayerWeights l : weights.layers()) {
            CpuLayer c = new CpuLayer(l.inputNorm(), CpuLinear.of(l.qProj()), CpuLinear.of(l.kProj()),
                    CpuLinear.of(l.vProj()), CpuLinear.of(l.oProj()), l.postAttentionNorm(),
                    CpuLinear.of(l.gateProj()), CpuLinear.of(l.upProj()), CpuLinear.of(l.downProj()));
            prepared.add(c);
            bytes += c.bytes();
        }
        this.layers = List.copyOf(prepared);
        this.lmHead = head.applies(weights.lmHead()) ? CpuLinear.int8((DenseLinear) weights.lmHead())
                : CpuLinear.of(weights.lmHead());
        this.weightBytesPerToken = bytes + lmHead.bytes();
        this.pool = new WorkerPool(options.effectiveThreads());
        this.forward = new CpuForward(this, options.prefillChunk());
    }


    @Override
    public LlamaConfig config() {
        return config;
    }

    @Override
    public String description() {
        return "cpu (" + kernels.name() + " kernels, " + pool.size() + " threads, rope " + rotary.spec() + ")";
    }

    @Override
    public InferenceSession newSession(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("session capacity must be >= 1 token, got " + capacity);
        }
        return new CpuSession(this, KvCache.allocate(config.numLayers(), capacity, config.numKvHeads(), config.headDim()));
    }

    /**
     * All steps' rows go through the layers together, in passes of up to the prefill chunk: every weight matrix is
     * streamed once per pass for all sequences (multi-row kernels, {@link CpuKernels#gptqGemvRows}), attention runs
     * each row against its own session's cache, and lm_head runs only for the rows whose logits are wanted.
     */
    @Override
    public void forwardBatch(List<SequenceStep> steps) {
        CpuSession[] sessions = new CpuSession[steps.size()];
        for (int i = 0; i < sessions.length; i++) {
            SequenceStep step = steps.get(i);
            if (!(step.session() instanceof CpuSession s) || s.model() != this) {
                throw new IllegalArgumentException("step " + i + " holds a session of another model");
            }
            for (int j = 0; j < i; j++) {
                if (sessions[j] == s) {
                    throw new IllegalArgumentException("a session appears twice in one batch");
                }
            }
            SessionInput.check(step.tokens(), s.length(), s.capacity(), config.vocabSize());
            sessions[i] = s;
        }
        synchronized (this) {
            int maxRows = forward.maxRows();
            int[] tokens = new int[maxRows];
            KvCache[] caches = new KvCache[maxRows];
            int[] positions = new int[maxRows];
            int[] ropeLengths = new int[maxRows];
            int[] wanted = new int[maxRows];
            float[][] targets = new float[maxRows][];
            int rows = 0;
            int logits = 0;
            for (int i = 0; i < sessions.length; i++) {
                SequenceStep step = steps.get(i);
                int[] t = step.tokens();
                for (int j = 0; j < t.length; j++) {
                    tokens[rows] = t[j];
                    caches[rows] = sessions[i].kv();
                    positions[rows] = sessions[i].length() + j;
                    ropeLengths[rows] = step.ropeLength();
                    if (j == t.length - 1 && step.logits() != null) {
                        wanted[logits] = rows;
                        targets[logits++] = step.logits();
                    }
                    if (++rows == maxRows) {
                        forward.runRows(rows, tokens, caches, positions, ropeLengths, logits, wanted, targets);
                        rows = 0;
                        logits = 0;
                    }
                }
            }
            if (rows > 0) {
                forward.runRows(rows, tokens, caches, positions, ropeLengths, logits, wanted, targets);
            }
            for (int i = 0; i < sessions.length; i++) {
                sessions[i].advance(steps.get(i).tokens().length);
            }
        }
    }

    @Override
    public boolean batchesNatively() {
        return true;
    }

    @Override
    public long kvBytesPerToken() {
        return KvCache.bytesPerToken(config.numLayers(), config.kvDim());
    }

    @Override
    public long weightBytesPerToken() {
        return weightBytesPerToken;
    }

    @Override
    public void close() {
        pool.close();
    }

    CpuKernels kernels() {
        return kernels;
    }

    WorkerPool pool() {
        return pool;
    }

    DenseRows embeddings() {
        return embeddings;
    }

    List<CpuLayer> layers() {
        return layers;
    }

    float[] finalNorm() {
        return finalNorm;
    }

    CpuLinear lmHead() {
        return lmHead;
    }

    RotaryEmbedding rotary() {
        return rotary;
    }

    CpuForward forward() {
        return forward;
    }

    List<CpuLinear> allLinears() {
        List<CpuLinear> all = new ArrayList<>();
        for (CpuLayer l : layers) {
            all.addAll(List.of(l.q(), l.k(), l.v(), l.o(), l.gate(), l.up(), l.down()));
        }
        all.add(lmHead);
        return all;
    }
}
