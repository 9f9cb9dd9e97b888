package io.yinghuo.model.engine.rope;

import io.yinghuo.model.config.RopeScalingConfig;

import java.util.Locale;

/**
 * Which RoPE scaling to apply to the rotary embedding (RoFormer, arXiv:2104.09864: inv_freq[i] = base^(-2i/d),
 * angle(p, i) = p * inv_freq[i]), written on the command line as {@code none}, {@code linear:F}, {@code dynamic:F},
 * {@code ntk:A}, {@code ntk:auto} or {@code yarn:F}.
 *
 * @param kind the scaling method
 * @param value the factor (linear, dynamic, yarn) or NTK alpha; 1 for {@code none}, 0 for {@code ntk:auto}
 */
public record RopeSpec(Kind kind, double value) {

    public enum Kind {
        /** Plain RoPE. */
        NONE,
        /**
         * HF "linear" position interpolation: angle = (p / factor) * inv_freq[i] (arXiv:2306.15595; transformers
         * modeling_rope_utils.py {@code _compute_linear_scaling_rope_parameters}).
         */
        LINEAR,
        /**
         * HF "dynamic" NTK: for a sequence length L beyond max_position_embeddings Lmax,
         * base' = base * (factor * L / Lmax - (factor - 1))^(d / (d - 2)) (transformers modeling_rope_utils.py
         * {@code _compute_dynamic_ntk_parameters}).
         */
        DYNAMIC,
        /**
         * NTK-aware scaling with a fixed alpha: base' = base * alpha^(d / (d - 2)) (bloc97's "NTK-Aware Scaled RoPE"
         * post, r/LocalLLaMA, June 2023; Chinese-LLaMA-Alpaca-2 {@code --alpha A},
         * scripts/attn_and_long_ctx_patches.py).
         */
        NTK,
        /**
         * Chinese-LLaMA-Alpaca-2 {@code --alpha auto} (scripts/attn_and_long_ctx_patches.py): plain RoPE up to Lmax,
         * beyond it NTK with alpha = L / (Lmax / 2) - 1 for the current sequence length L.
         */
        NTK_AUTO,
        /** YaRN (arXiv:2309.00071) as in jquesnelle/yarn scaled_rope/LlamaYaRNScaledRotaryEmbedding.py. */
        YARN
    }

    public static final RopeSpec NONE = new RopeSpec(Kind.NONE, 1.0);

    public RopeSpec {
        if (kind == null) {
            throw new IllegalArgumentException("RoPE kind is required");
        }
        if (kind != Kind.NONE && kind != Kind.NTK_AUTO && !(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException("RoPE " + kind.name().toLowerCase(Locale.ROOT)
                    + " needs a positive finite value, got " + value);
        }
    }

    /**
     * Parses a spec string such as {@code linear:4} or {@code ntk:auto}.
     *
     * @throws IllegalArgumentException naming the accepted forms when the string is not one of them
     */
    public static RopeSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty RoPE spec; " + FORMS);
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("none")) {
            return NONE;
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("RoPE spec '" + spec + "' has no value; " + FORMS);
        }
        String name = s.substring(0, colon);
        String arg = s.substring(colon + 1);
        Kind kind = switch (name) {
            case "linear" -> Kind.LINEAR;
            case "dynamic" -> Kind.DYNAMIC;
            case "ntk" -> arg.equals("auto") ? Kind.NTK_AUTO : Kind.NTK;
            case "yarn" -> Kind.YARN;
            default -> throw new IllegalArgumentException("unknown RoPE scaling '" + name + "' in '" + spec + "'; "
                    + FORMS);
        };
        if (kind == Kind.NTK_AUTO) {
            return new RopeSpec(Kind.NTK_AUTO, 0);
        }
        double value;
        try {
            value = Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("RoPE spec '" + spec + "': '" + arg + "' is not a number; " + FORMS);
        }
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("RoPE spec '" + spec + "': the value must be a positive number");
        }
        if ((kind == Kind.LINEAR || kind == Kind.DYNAMIC || kind == Kind.YARN) && value < 1) {
            throw new IllegalArgumentException("RoPE spec '" + spec + "': a scaling factor below 1 shrinks the "
                    + "context; use a factor >= 1");
        }
        return new RopeSpec(kind, value);
    }

    /** The scaling config.json asks for (its {@code rope_scaling} block), {@link #NONE} when it has none. */
    public static RopeSpec fromConfig(RopeScalingConfig scaling) {
        if (scaling == null) {
            return NONE;
        }
        String type = scaling.type() == null ? "" : scaling.type().toLowerCase(Locale.ROOT);
        Kind kind = switch (type) {
            case "linear" -> Kind.LINEAR;
            case "dynamic" -> Kind.DYNAMIC;
            case "yarn" -> Kind.YARN;
            default -> throw new IllegalArgumentException("config.json rope_scaling type '" + scaling.type()
                    + "' is not supported (expected linear, dynamic or yarn)");
        };
        return new RopeSpec(kind, scaling.factor());
    }

    /** The spec string that {@link #parse} reads back. */
    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "none";
            case LINEAR -> "linear:" + num(value);
            case DYNAMIC -> "dynamic:" + num(value);
            case NTK -> "ntk:" + num(value);
            case NTK_AUTO -> "ntk:auto";
            case YARN -> "yarn:" + num(value);
        };
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static final String FORMS =
            "expected none, linear:F, dynamic:F, ntk:A, ntk:auto or yarn:F (F, A positive numbers)";
}
