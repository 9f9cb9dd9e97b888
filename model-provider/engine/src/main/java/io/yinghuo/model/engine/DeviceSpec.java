package io.yinghuo.model.engine;

import java.util.Locale;

/**
 * Where the user asked the model to run: {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}.
 *
 * @param cudaIndex the GPU index for {@link Kind#CUDA}, 0 otherwise
 */
public record DeviceSpec(Kind kind, int cudaIndex) {

    public enum Kind { AUTO, CPU, CUDA }

    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, 0);
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, 0);

    public DeviceSpec {
        if (cudaIndex < 0) {
            throw new IllegalArgumentException("the CUDA device index must be >= 0, got " + cudaIndex);
        }
    }

    /** Parses {@code auto}, {@code cpu}, {@code cuda}, {@code cuda:N} or a bare device index {@code N}. */
    public static DeviceSpec parse(String text) {
        String s = text == null ? "auto" : text.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "", "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "cuda", "gpu":
                return new DeviceSpec(Kind.CUDA, 0);
            default:
                break;
        }
        String index = s.startsWith("cuda:") ? s.substring(5) : s;
        try {
            return new DeviceSpec(Kind.CUDA, Integer.parseInt(index));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown device '" + text + "': use auto, cpu, cuda or cuda:N");
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> "cuda:" + cudaIndex;
        };
    }
}
