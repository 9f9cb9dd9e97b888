package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.rope.RotaryEmbedding;
import io.yinghuo.model.weights.LayerWeights;
import io.yinghuo.model.weights.Linear;
import io.yinghuo.model.weights.LlamaWeights;

import java.util.ArrayList;
import java.util.List;

/**
 * A LLaMA model prepared for the CPU: GPTQ linears repacked ({@link PackedGptq}), dense ones read in place, one
 * worker pool, one activation scratch. Forward passes of all its sessions are serialized (they would compete for
 * the same cores anyway).
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

    CpuModel(LlamaWeights weights, EngineOptions options, CpuKernels kernels) {
        this.config = weights.config();
        validate(weights);
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
        this.lmHead = CpuLinear.of(weights.lmHead());
        this.weightBytesPerToken = bytes + lmHead.bytes();
        this.pool = new WorkerPool(options.effectiveThreads());
        this.forward = new CpuForward(this, options.prefillChunk());
    }

    private void validate(LlamaWeights w) {
        LlamaConfig c = config;
        int h = c.hiddenSize();
        if (c.numHeads() <= 0 || h % c.numHeads() != 0) {
            throw new IllegalArgumentException("hidden_size " + h + " is not a multiple of num_attention_heads "
                    + c.numHeads());
        }
        if (c.numKvHeads() <= 0 || c.numHeads() % c.numKvHeads() != 0) {
            throw new IllegalArgumentException("num_attention_heads " + c.numHeads()
                    + " is not a multiple of num_key_value_heads " + c.numKvHeads());
        }
        if (w.embeddings().cols() != h || w.embeddings().rows() != c.vocabSize()) {
            throw new IllegalArgumentException("embed_tokens is " + w.embeddings().rows() + "x"
                    + w.embeddings().cols() + ", config says vocab " + c.vocabSize() + " x hidden " + h);
        }
        if (w.layers().size() != c.numLayers()) {
            throw new IllegalArgumentException("config has " + c.numLayers() + " layers, weights have "
                    + w.layers().size());
        }
        int kv = c.kvDim();
        int inter = c.intermediateSize();
        for (int i = 0; i < w.layers().size(); i++) {
            LayerWeights l = w.layers().get(i);
            check(i, "self_attn.q_proj", l.qProj(), h, h);
            check(i, "self_attn.k_proj", l.kProj(), h, kv);
            check(i, "self_attn.v_proj", l.vProj(), h, kv);
            check(i, "self_attn.o_proj", l.oProj(), h, h);
            check(i, "mlp.gate_proj", l.gateProj(), h, inter);
            check(i, "mlp.up_proj", l.upProj(), h, inter);
            check(i, "mlp.down_proj", l.downProj(), inter, h);
            if (l.inputNorm().length != h || l.postAttentionNorm().length != h) {
                throw new IllegalArgumentException("layer " + i + " norm weights must have " + h + " entries");
            }
        }
        if (w.finalNorm().length != h) {
            throw new IllegalArgumentException("model.norm must have " + h + " entries, has "
                    + w.finalNorm().length);
        }
        if (w.lmHead().inFeatures() != h || w.lmHead().outFeatures() != c.vocabSize()) {
            throw new IllegalArgumentException("lm_head maps " + w.lmHead().inFeatures() + " -> "
                    + w.lmHead().outFeatures() + ", expected " + h + " -> " + c.vocabSize());
        }
    }

    private static void check(int layer, String name, Linear l, int in, int out) {
        if (l.inFeatures() != in || l.outFeatures() != out) {
            throw new IllegalArgumentException("model.layers." + layer + "." + name + " maps " + l.inFeatures()
                    + " -> " + l.outFeatures() + ", expected " + in + " -> " + out);
        }
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
        return new CpuSession(this, KvCache.allocate(config.numLayers(), capacity, config.kvDim()));
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
