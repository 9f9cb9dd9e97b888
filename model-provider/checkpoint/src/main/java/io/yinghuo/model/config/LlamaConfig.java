package io.yinghuo.model.config;

/**
 * The LLaMA fields of config.json that the engine uses (engine-facts §3.1).
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
