package io.yinghuo.cli;

import io.yinghuo.model.engine.rope.RopeSpec;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.runtime.ModelOptions;
import picocli.CommandLine.Option;

/** The options every command that runs a model shares. */
final class ModelOptionsMixin {

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda|cuda:N",
            description = "Where to run the model (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--rope", paramLabel = "SPEC",
            description = "RoPE scaling: none, linear:F, dynamic:F, ntk:A, ntk:auto, yarn:F "
                    + "(default: what the model's config.json says).")
    String rope;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads (default: all cores).")
    int threads;

    ModelOptions toOptions(int contextLength) {
        RopeSpec spec = rope == null ? null : RopeSpec.parse(rope);
        return new ModelOptions(DeviceSpec.parse(device), threads, spec, contextLength);
    }
}
