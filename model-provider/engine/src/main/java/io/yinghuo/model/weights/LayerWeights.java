package io.yinghuo.model.weights;

/** One decoder layer (engine-facts §3.2 names). Norm weights are small and held as floats. */
public record LayerWeights(
        float[] inputNorm,
        Linear qProj,
        Linear kProj,
        Linear vProj,
        Linear oProj,
        float[] postAttentionNorm,
        Linear gateProj,
        Linear upProj,
        Linear downProj) {
}
