package io.yinghuo.model.config;

/**
 * The {@code rope_scaling} block of config.json as written by the checkpoint, e.g.
 * {@code {"type": "linear", "factor": 4.0}} for the 16K Chinese-LLaMA-2 / Alpaca-2 models (hfl/chinese-alpaca-2-7b-16k)
 * or {@code {"type": "yarn", "factor": 16.0, "original_max_position_embeddings": 4096}} for the 64K ones
 * (hfl/chinese-llama-2-7b-64k).
 *
 * @param type "linear", "dynamic" or "yarn" (lower case)
 * @param factor the scaling factor
 * @param originalMaxPositionEmbeddings YaRN's original context (0 when absent)
 */
public record RopeScalingConfig(String type, double factor, int originalMaxPositionEmbeddings) {
}
