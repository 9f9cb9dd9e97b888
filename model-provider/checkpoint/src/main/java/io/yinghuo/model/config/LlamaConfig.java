package io.yinghuo.model.config;

/**
 * The LLaMA fields of config.json that the engine uses, under transformers' {@code LlamaConfig} names
 * (7B: hidden 4096, intermediate 11008, 32 layers, 32 heads; 13B: 5120, 13824, 40, 40; head_dim 128).
 *
 * @param ropeScaling null when config.json has none
 */
public record LlamaConfig(
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        int maxPositionEmbeddings,
        RopeScalingConfig ropeScaling,
        int bosTokenId,
        int eosTokenId,
        boolean tieWordEmbeddings) {

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public int kvDim() {
        return numKvHeads * headDim();
    }
}
