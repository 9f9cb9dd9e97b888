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
