package io.yinghuo.model.engine.rope;

import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.config.RopeScalingConfig;

/**
 * Rotary position embedding (RoFormer, arXiv:2104.09864) of one model with one scaling method ({@link RopeSpec.Kind}
 * gives each method's formula and source).
 *
 * <p>Length-dependent methods ({@code dynamic}, {@code ntk:auto}) compute the base from the total sequence length
 * L (past + current tokens) at the moment keys are computed, like one forward call of the HF reference: a prompt's keys
 * all use the prompt's full length, each later decode step uses its own L. Keys already in the cache keep the rotation
 * they were given (no re-rotation), which is what HF and Chinese-LLaMA-Alpaca-2 do by default
 * ({@code STORE_KV_BEFORE_ROPE = False} in Chinese-LLaMA-Alpaca-2's scripts/attn_and_long_ctx_patches.py).
 */
public final class RotaryEmbedding {
    /** YaRN's original context when config.json does not name one (jquesnelle/yarn default). */
    public static final int YARN_DEFAULT_ORIGINAL_CONTEXT = 4096;
    private static final double YARN_BETA_FAST = 32;
    private static final double YARN_BETA_SLOW = 1;

    private final RopeSpec spec;
    private final int headDim;
    private final double base;
    private final int maxPositions;
    private final double positionDivisor;
    private final int yarnOriginalContext;
    private final RopeAngles fixed;
    private RopeAngles lastVariable;
    private int lastVariableLength = -1;

    /**
     * @param spec the method; null takes the config's rope_scaling
     */
    public RotaryEmbedding(LlamaConfig config, RopeSpec spec) {
        this.spec = spec != null ? spec : RopeSpec.fromConfig(config.ropeScaling());
        this.headDim = config.headDim();
        if (headDim < 4 || headDim % 2 != 0) {
            throw new IllegalArgumentException("RoPE needs an even head dimension >= 4, got " + headDim);
        }
        this.base = config.ropeTheta();
        this.maxPositions = config.maxPositionEmbeddings();
        RopeScalingConfig scaling = config.ropeScaling();
        // Chinese-LLaMA-Alpaca-2's NTK patch still divides positions by a config "linear" factor: position
        // interpolation stays and NTK applies on top (16K models: --alpha on top of factor 4).
        boolean configLinear = scaling != null && "linear".equalsIgnoreCase(scaling.type());
        this.positionDivisor = switch (this.spec.kind()) {
            case LINEAR -> this.spec.value();
            case NTK, NTK_AUTO -> configLinear ? scaling.factor() : 1.0;
            default -> 1.0;
        };
        this.yarnOriginalContext = scaling != null && scaling.originalMaxPositionEmbeddings() > 0
                ? scaling.originalMaxPositionEmbeddings() : YARN_DEFAULT_ORIGINAL_CONTEXT;
        if (dependsOnLength() && maxPositions <= 0) {
            throw new IllegalArgumentException("RoPE " + this.spec + " needs max_position_embeddings > 0");
        }
        this.fixed = dependsOnLength() ? null : computeFixed();
    }

    public RopeSpec spec() {
        return spec;
    }

    /** True when the rotation depends on the total sequence length ({@code dynamic}, {@code ntk:auto}). */
    public boolean dependsOnLength() {
        return spec.kind() == RopeSpec.Kind.DYNAMIC || spec.kind() == RopeSpec.Kind.NTK_AUTO;
    }

    /** The angles to use when the sequence (past + current tokens) is {@code totalLength} long. */
    public RopeAngles angles(int totalLength) {
        if (fixed != null) {
            return fixed;
        }
        if (totalLength <= maxPositions) {
            return plain(base, positionDivisor);
        }
        if (totalLength == lastVariableLength) {
            return lastVariable;
        }
        double scaledBase;
        double exponent = (double) headDim / (headDim - 2);
        if (spec.kind() == RopeSpec.Kind.DYNAMIC) {
            // transformers _compute_dynamic_ntk_parameters: base * (f L / Lmax - (f - 1))^(d / (d - 2))
            double f = spec.value();
            scaledBase = base * Math.pow(f * totalLength / maxPositions - (f - 1), exponent);
        } else {
            // Chinese-LLaMA-Alpaca-2 "auto": alpha = (L / (Lmax / 2) - 1) * AUTO_COEFF, AUTO_COEFF = 1; alpha is 1
            // at L = Lmax, so the rotation is continuous with plain RoPE
            double alpha = totalLength / (maxPositions / 2.0) - 1;
            scaledBase = base * Math.pow(alpha, exponent);
        }
        RopeAngles a = plain(scaledBase, positionDivisor);
        lastVariable = a;
        lastVariableLength = totalLength;
        return a;
    }

    private RopeAngles computeFixed() {
        return switch (spec.kind()) {
            case NONE, LINEAR -> plain(base, positionDivisor);
            case NTK -> plain(base * Math.pow(spec.value(), (double) headDim / (headDim - 2)), positionDivisor);
            case YARN -> yarn();
            default -> throw new IllegalStateException("length-dependent RoPE " + spec + " has no fixed angles");
        };
    }

    private RopeAngles plain(double theta, double divisor) {
        double[] inv = new double[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = Math.pow(theta, -2.0 * i / headDim) / divisor;
        }
        return new RopeAngles(inv, 1.0);
    }

    /**
     * YaRN (arXiv:2309.00071) as jquesnelle/yarn's LlamaYaRNScaledRotaryEmbedding computes it: inv_freq[i] blends the
     * original base^(-2i/d) (kept for fast dimensions) with it divided by s (interpolated, for slow ones) along a
     * linear ramp between the correction dimensions of beta_fast 32 and beta_slow 1 rotations over the original
     * context; cos and sin are both scaled by mscale = 0.1 ln s + 1.
     */
    private RopeAngles yarn() {
        double s = spec.value();
        int half = headDim / 2;
        double low = Math.max(Math.floor(correctionDim(YARN_BETA_FAST)), 0);
        double high = Math.min(Math.ceil(correctionDim(YARN_BETA_SLOW)), headDim - 1);
        if (low == high) {
            high += 0.001; // the reference's guard against a zero-width ramp
        }
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            double extrapolated = Math.pow(base, -2.0 * i / headDim);
            double interpolated = extrapolated / s;
            double ramp = Math.min(Math.max((i - low) / (high - low), 0), 1);
            inv[i] = interpolated * ramp + extrapolated * (1 - ramp);
        }
        double mscale = s <= 1 ? 1.0 : 0.1 * Math.log(s) + 1.0;
        return new RopeAngles(inv, mscale);
    }

    /** The dimension whose wavelength fits {@code rotations} times into the original context. */
    private double correctionDim(double rotations) {
        return headDim * Math.log(yarnOriginalContext / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
    }

    /** YaRN ramp bounds (low, high) as the reference clamps them; for tests and diagnostics. */
    double[] yarnRange() {
        return new double[] {Math.max(Math.floor(correctionDim(YARN_BETA_FAST)), 0),
                Math.min(Math.ceil(correctionDim(YARN_BETA_SLOW)), headDim - 1)};
    }
}
