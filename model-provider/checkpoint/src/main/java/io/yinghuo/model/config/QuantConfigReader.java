package io.yinghuo.model.config;

import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.checkpoint.QuantizeConfigFile;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds and checks a checkpoint's GPTQ settings. Lookup order as AutoGPTQ's {@code from_quantized}
 * ({@link QuantizeConfigFile}): {@code quantize_config.json}, then {@code quant_config.json}, then the
 * {@code quantization_config} block of {@code config.json}. No settings at all means an unquantized checkpoint.
 * Keys and defaults are those of AutoGPTQ's {@code BaseQuantizeConfig} (auto_gptq/quantization/config.py), with the
 * synonyms it accepts ({@code w_bit}, {@code q_group_size}) and GPTQModel's newer {@code format} / {@code method}.
 *
 * <p>Accepted: GPTQ v1 ({@code checkpoint_format} / {@code format} "gptq" or absent: qzeros hold zero - 1) and
 * "gptq_v2" (qzeros hold the zero), 4 or 8 bits, int32 packing. Refused with a message saying why:
 * Marlin-serialized GPTQ (other tensors: B, s), AWQ, 2/3 bits, other methods.
 */
public final class QuantConfigReader {
    public static final String QUANTIZE_CONFIG = QuantizeConfigFile.QUANTIZE_CONFIG;
    public static final String QUANT_CONFIG = QuantizeConfigFile.QUANT_CONFIG;
    public static final String CONFIG = QuantizeConfigFile.CONFIG;

    private QuantConfigReader() {
    }

    /** The checked settings, or empty when the directory has none (an fp16/bf16 checkpoint). */
    public static Optional<QuantConfig> read(Path modelDir) {
        return locate(modelDir).map(QuantConfigReader::parse);
    }

    /** AutoGPTQ's {@code model_file_base_name} (e.g. "gptq_model-4bit-128g"), when the settings name one. */
    public static Optional<String> modelFileBaseName(Path modelDir) {
        return QuantizeConfigFile.modelFileBaseName(modelDir);
    }

    static Optional<JsonFields> locate(Path modelDir) {
        return QuantizeConfigFile.find(modelDir).map(f -> new JsonFields(f.fields(), f.source()));
    }

    static QuantConfig parse(JsonFields f) {
        String source = f.source();
        String method = firstString(f, "quant_method", "method");
        String format = firstString(f, "checkpoint_format", "format");
        String awqVersion = f.optionalLowerString("version");
        boolean awq = "awq".equals(method) || "gemm".equals(format) || "gemv".equals(format)
                || "gemv_fast".equals(format) || "awq".equals(format)
                || (awqVersion != null && awqVersion.startsWith("gem")) || f.has("zero_point");
        if (awq) {
            throw new ModelLoadException(source + ": this is an AWQ checkpoint; Yinghuo runs GPTQ checkpoints"
                    + " (AutoGPTQ format), e.g. TheBloke's *-GPTQ repositories");
        }
        boolean marlin = "marlin".equals(method) || "marlin".equals(format)
                || f.optionalBoolean("is_marlin_format", false);
        if (marlin) {
            throw new ModelLoadException(source + ": Marlin-serialized GPTQ checkpoints are not supported;"
                    + " use the plain GPTQ version (checkpoint_format \"gptq\")");
        }
        if (method != null && !method.equals("gptq")) {
            throw new ModelLoadException(source + ": quant_method \"" + method + "\" is not supported;"
                    + " only GPTQ checkpoints can be loaded");
        }
        boolean v1;
        if (format == null || format.equals("gptq")) {
            v1 = true;
        } else if (format.equals("gptq_v2")) {
            v1 = false;
        } else {
            throw new ModelLoadException(source + ": checkpoint format \"" + format + "\" is not supported;"
                    + " expected \"gptq\" or \"gptq_v2\"");
        }
        String bitsField = f.has("bits") ? "bits" : "w_bit";
        int bits = f.requiredInt(bitsField);
        if (bits != 4 && bits != 8) {
            throw new ModelLoadException(source + ": " + bits + "-bit GPTQ is not supported; only 4 and 8 bits");
        }
        String groupField = f.has("group_size") ? "group_size" : "q_group_size";
        int groupSize = f.optionalInt(groupField, -1);
        if (groupSize == 0 || groupSize < -1) {
            throw new ModelLoadException(source + ": \"" + groupField + "\" must be -1 or positive, found "
                    + groupSize);
        }
        String packDtype = f.optionalLowerString("pack_dtype");
        if (packDtype != null && !packDtype.equals("int32") && !packDtype.equals("torch.int32")) {
            throw new ModelLoadException(source + ": pack_dtype \"" + packDtype + "\" is not supported;"
                    + " only int32 packing");
        }
        // AutoGPTQ's BaseQuantizeConfig defaults: desc_act true, sym true (a missing sym is read as true).
        boolean descAct = f.optionalBoolean("desc_act", true);
        boolean sym = f.optionalBoolean("sym", true);
        return new QuantConfig(bits, groupSize, descAct, sym, v1);
    }

    private static String firstString(JsonFields f, String a, String b) {
        String v = f.optionalLowerString(a);
        return v != null ? v : f.optionalLowerString(b);
    }
}
