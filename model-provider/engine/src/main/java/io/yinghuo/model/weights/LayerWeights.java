package io.yinghuo.model.weights;

/**
 * One decoder layer, named as transformers' LlamaDecoderLayer names its tensors ({@code input_layernorm},
 * {@code self_attn.{q,k,v,o}_proj}, {@code post_attention_layernorm}, {@code mlp.{gate,up,down}_proj}). Norm weights
 * are small and held as floats.
 */
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
