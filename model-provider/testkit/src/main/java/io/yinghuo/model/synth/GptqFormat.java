package io.yinghuo.model.synth;

import java.util.Locale;

/**
 * How qzeros are stored: v1 "gptq" stores zero - 1 (AutoGPTQ qlinear_cuda_old.py {@code pack()}; readers add 1 back),
 * GPTQModel's "gptq_v2" the zero itself.
 */
public enum GptqFormat {
    GPTQ("gptq"),
    GPTQ_V2("gptq_v2");

    private final String configName;

    GptqFormat(String configName) {
        this.configName = configName;
    }

    /** The value of {@code checkpoint_format} in quantize_config.json. */
    public String configName() {
        return configName;
    }

    public static GptqFormat parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (GptqFormat f : values()) {
            if (f.configName.equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown GPTQ format \"" + name + "\"; expected gptq or gptq_v2");
    }
}
