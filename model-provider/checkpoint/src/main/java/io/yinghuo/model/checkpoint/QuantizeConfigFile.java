package io.yinghuo.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The JSON object that holds a model directory's quantization settings, found in the order AutoGPTQ's
 * {@code from_quantized} uses (AutoGPTQ {@code auto_gptq/quantization/config.py}, {@code BaseQuantizeConfig}):
 * {@code quantize_config.json}, then {@code quant_config.json}, then the {@code quantization_config} block of
 * {@code config.json}. It lives with the checkpoint files because {@link Checkpoints} needs its
 * {@code model_file_base_name} to find the weights; what the settings mean is read above this package
 * ({@code io.yinghuo.model.config.QuantConfigReader}).
 *
 * @param fields the settings object
 * @param source where it came from, for messages (a file name, or "config.json (quantization_config)")
 */
public record QuantizeConfigFile(ObjectNode fields, String source) {
    public static final String QUANTIZE_CONFIG = "quantize_config.json";
    public static final String QUANT_CONFIG = "quant_config.json";
    public static final String CONFIG = "config.json";

    /** The settings object of {@code modelDir}, or empty when it has none (an unquantized checkpoint). */
    public static Optional<QuantizeConfigFile> find(Path modelDir) {
        for (String name : new String[] {QUANTIZE_CONFIG, QUANT_CONFIG}) {
            Path file = modelDir.resolve(name);
            if (Files.isRegularFile(file)) {
                return Optional.of(new QuantizeConfigFile(StrictJson.readObject(file), file.toString()));
            }
        }
        Path config = modelDir.resolve(CONFIG);
        if (Files.isRegularFile(config)) {
            JsonNode block = StrictJson.readObject(config).get("quantization_config");
            if (block != null && !block.isNull()) {
                if (!block.isObject()) {
                    throw new ModelLoadException(config + ": \"quantization_config\" must be an object");
                }
                return Optional.of(new QuantizeConfigFile((ObjectNode) block, config + " (quantization_config)"));
            }
        }
        return Optional.empty();
    }

    /**
     * AutoGPTQ's {@code model_file_base_name} (e.g. "gptq_model-4bit-128g": the weights are
     * {@code <name>.safetensors}), when the settings of {@code modelDir} name one.
     */
    public static Optional<String> modelFileBaseName(Path modelDir) {
        return find(modelDir).map(f -> f.fields().get("model_file_base_name"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::textValue)
                .filter(s -> !s.isBlank());
    }
}
