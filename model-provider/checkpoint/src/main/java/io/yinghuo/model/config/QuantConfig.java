package io.yinghuo.model.config;

/**
 * GPTQ quantization settings, the fields of AutoGPTQ's {@code BaseQuantizeConfig} (auto_gptq/quantization/config.py)
 * that matter for inference. {@code groupSize} is -1 for one group over all of K.
 * {@code zerosStoredMinusOne} is true for checkpoint_format "gptq" (v1: AutoGPTQ's {@code pack()} stores zero - 1 in
 * qzeros) and false for GPTQModel's "gptq_v2" (the zero as is).
 * {@code descAct} is informational only: the loader trusts g_idx, which gives every row's group whether or not the
 * rows were quantized in act-order (with static_groups, desc_act true still yields g_idx[k] = k / G).
 */
public record QuantConfig(int bits, int groupSize, boolean descAct, boolean sym, boolean zerosStoredMinusOne) {
}
