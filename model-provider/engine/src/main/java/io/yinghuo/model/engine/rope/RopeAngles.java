package io.yinghuo.model.engine.rope;

/**
 * The rotation for one sequence length: per frequency index i (0..d/2-1) the angle of position p is
 * {@code p * invFreq[i]} (any position interpolation already folded into invFreq), and cos/sin are multiplied by
 * {@code mscale} (YaRN; 1 otherwise).
 */
public final class RopeAngles {
    private final double[] invFreq;
    private final double mscale;

    RopeAngles(double[] invFreq, double mscale) {
        this.invFreq = invFreq;
        this.mscale = mscale;
    }

    public int halfDim() {
        return invFreq.length;
    }

    public double invFreq(int i) {
        return invFreq[i];
    }

    public double mscale() {
        return mscale;
    }

    /** Fills cos/sin[0..d/2) for one position, computed in double and cast (the reference builds them in fp32). */
    public void cosSin(int position, float[] cos, float[] sin) {
        for (int i = 0; i < invFreq.length; i++) {
            double a = position * invFreq[i];
            cos[i] = (float) (Math.cos(a) * mscale);
            sin[i] = (float) (Math.sin(a) * mscale);
        }
    }

    /**
     * Rotates one head vector x[off..off+d) in place with the HF rotate_half convention (transformers
     * models/llama/modeling_llama.py {@code rotate_half}, {@code apply_rotary_pos_emb}): element i pairs with i + d/2,
     * not with its neighbour as in Meta's complex-number original, because HF's converter
     * (models/llama/convert_llama_weights_to_hf.py) permuted the q/k_proj rows to match:
     * out[i] = x[i] cos - x[i+d/2] sin, out[i+d/2] = x[i+d/2] cos + x[i] sin.
     */
    public static void rotateHalf(float[] x, int off, float[] cos, float[] sin, int halfDim) {
        for (int i = 0; i < halfDim; i++) {
            float a = x[off + i];
            float b = x[off + i + halfDim];
            x[off + i] = a * cos[i] - b * sin[i];
            x[off + i + halfDim] = b * cos[i] + a * sin[i];
        }
    }
}
