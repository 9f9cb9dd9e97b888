package io.yinghuo.model.weights;

import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.config.QuantConfig;

import java.util.List;

/**
 * Everything a backend needs to run a LLaMA model. {@code embeddings} is [vocab, hidden];
 * {@code lmHead} maps hidden to vocab. {@code quant} is null for plain fp16/bf16 checkpoints.
 * {@code resources} is closed with the weights (the mapped files).
 */
public record LlamaWeights(
        LlamaConfig config,
        QuantConfig quant,
        DenseMatrix embeddings,
        List<LayerWeights> layers,
        float[] finalNorm,
        Linear lmHead,
        AutoCloseable resources) implements AutoCloseable {

    /** Bytes streamed to decode one token at short context: every linear plus one embedding row. */
    public long bytesPerToken() {
        long total = lmHead.storageBytes() + (long) embeddings.cols() * embeddings.dtype().bytes();
        for (LayerWeights l : layers) {
            total += l.qProj().storageBytes() + l.kProj().storageBytes() + l.vProj().storageBytes()
                    + l.oProj().storageBytes() + l.gateProj().storageBytes() + l.upProj().storageBytes()
                    + l.downProj().storageBytes();
        }
        return total;
    }

    /**
     * Checks that every tensor has the shape the config implies, what any backend needs before it lays the weights
     * out.
     *
     * @throws IllegalArgumentException naming the tensor whose shape does not fit the config
     */
    public void validateShapes() {
        LlamaWeights w = this;
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
    public void close() {
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing model files: " + e.getMessage(), e);
            }
        }
    }
}
