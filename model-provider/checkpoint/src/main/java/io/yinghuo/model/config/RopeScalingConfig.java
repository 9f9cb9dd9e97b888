package io.yinghuo.model.config;

/**
 * The {@code rope_scaling} block of config.json as written by the checkpoint (engine-facts §3.1, §4.5).
 *
 * @param type "linear", "dynamic" or "yarn" (lower case)
 * @param factor the scaling factor
 * @param originalMaxPositionEmbeddings YaRN's original context (0 when absent)
 */
public record RopeScalingConfig(String type, double factor, int originalMaxPositionEmbeddings) {
}
