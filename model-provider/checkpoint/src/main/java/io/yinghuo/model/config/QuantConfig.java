package io.yinghuo.model.config;

/**
 * GPTQ quantization settings (engine-facts §1.6). {@code groupSize} is -1 for one group over all of K.
 * {@code zerosStoredMinusOne} is true for checkpoint_format "gptq" (v1) and false for "gptq_v2".
 * {@code descAct} is informational only: the loader trusts g_idx (engine-facts §1.5).
 */
public record QuantConfig(int bits, int groupSize, boolean descAct, boolean sym, boolean zerosStoredMinusOne) {
}
