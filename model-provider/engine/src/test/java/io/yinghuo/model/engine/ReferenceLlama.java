package io.yinghuo.model.engine;

import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.util.Fp16;
import io.yinghuo.model.weights.LayerWeights;
import io.yinghuo.model.weights.Linear;
import io.yinghuo.model.weights.LlamaWeights;

import java.util.ArrayList;
import java.util.List;

/**
 * A float64 LLaMA forward pass written straight from the formulas (transformers models/llama/modeling_llama.py:
 * RMSNorm, rotate_half RoPE, causal softmax attention, SiLU-gated MLP; the RoPE scalings of
 * {@link io.yinghuo.model.engine.rope.RopeSpec.Kind}) with {@link Linear#weight(int, int)}, no optimisation, its
 * own RoPE code and a double KV cache. It is a session: each {@link #forward} call computes its keys for the length
 * L = past + current tokens (dynamic and ntk:auto), and cached keys keep their rotation, like HF's reference with its
 * default settings.
 */
public final class ReferenceLlama {
    private final LlamaWeights w;
    private final LlamaConfig c;
    private final String rope;
    private final boolean halfKv;
    private final List<double[][]> keys = new ArrayList<>();
    private final List<double[][]> values = new ArrayList<>();
    private int length;

    /** @param rope none, linear:F, dynamic:F, ntk:A, ntk:auto, yarn:F */
    public ReferenceLlama(LlamaWeights w, String rope) {
        this(w, rope, false);
    }

    /**
     * @param halfKv round cached keys and values to fp16 as the CPU backend stores them, which isolates every
     *     other difference (activations in float) for a much tighter comparison
     */
    public ReferenceLlama(LlamaWeights w, String rope, boolean halfKv) {
        this.halfKv = halfKv;
        this.w = w;
        this.c = w.config();
        this.rope = rope;
        for (int l = 0; l < c.numLayers(); l++) {
            keys.add(new double[0][]);
            values.add(new double[0][]);
        }
    }

    /** Logits after each of the tokens. */
    public double[][] forward(int[] tokens) {
        int n = tokens.length;
        int h = c.hiddenSize();
        int d = c.headDim();
        int total = length + n;
        double[][] x = new double[n][];
        for (int m = 0; m < n; m++) {
            x[m] = new double[h];
            for (int i = 0; i < h; i++) {
                x[m][i] = w.embeddings().get(tokens[m], i);
            }
        }
        for (int l = 0; l < c.numLayers(); l++) {
            LayerWeights lw = w.layers().get(l);
            double[][] k = grow(keys, l, total);
            double[][] v = grow(values, l, total);
            double[][] q = new double[n][];
            for (int m = 0; m < n; m++) {
                double[] xn = rmsNorm(x[m], lw.inputNorm());
                q[m] = matvec(lw.qProj(), xn);
                double[] km = matvec(lw.kProj(), xn);
                int pos = length + m;
                for (int hh = 0; hh < c.numHeads(); hh++) {
                    rotate(q[m], hh * d, pos, total);
                }
                for (int hh = 0; hh < c.numKvHeads(); hh++) {
                    rotate(km, hh * d, pos, total);
                }
                k[pos] = halfKv ? toHalf(km) : km;
                v[pos] = halfKv ? toHalf(matvec(lw.vProj(), xn)) : matvec(lw.vProj(), xn);
            }
            int group = c.numHeads() / c.numKvHeads();
            for (int m = 0; m < n; m++) {
                int pos = length + m;
                double[] att = new double[h];
                for (int hh = 0; hh < c.numHeads(); hh++) {
                    int ko = (hh / group) * d;
                    double[] s = new double[pos + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t = 0; t <= pos; t++) {
                        double dot = 0;
                        for (int i = 0; i < d; i++) {
                            dot += q[m][hh * d + i] * k[t][ko + i];
                        }
                        s[t] = dot / Math.sqrt(d);
                        max = Math.max(max, s[t]);
                    }
                    double sum = 0;
                    for (int t = 0; t <= pos; t++) {
                        s[t] = Math.exp(s[t] - max);
                        sum += s[t];
                    }
                    for (int t = 0; t <= pos; t++) {
                        for (int i = 0; i < d; i++) {
                            att[hh * d + i] += s[t] / sum * v[t][ko + i];
                        }
                    }
                }
                add(x[m], matvec(lw.oProj(), att));
                double[] xn = rmsNorm(x[m], lw.postAttentionNorm());
                double[] g = matvec(lw.gateProj(), xn);
                double[] u = matvec(lw.upProj(), xn);
                for (int i = 0; i < g.length; i++) {
                    g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
                }
                add(x[m], matvec(lw.downProj(), g));
            }
        }
        length = total;
        double[][] logits = new double[n][];
        for (int m = 0; m < n; m++) {
            logits[m] = matvec(w.lmHead(), rmsNorm(x[m], w.finalNorm()));
        }
        return logits;
    }

    public void truncate(int n) {
        length = n;
    }

    private static double[][] grow(List<double[][]> cache, int l, int total) {
        double[][] a = cache.get(l);
        if (a.length < total) {
            double[][] b = new double[total][];
            System.arraycopy(a, 0, b, 0, a.length);
            cache.set(l, b);
            a = b;
        }
        return a;
    }

    private double[] rmsNorm(double[] x, float[] weight) {
        double ss = 0;
        for (double a : x) {
            ss += a * a;
        }
        double inv = 1 / Math.sqrt(ss / x.length + c.rmsNormEps());
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = weight[i] * x[i] * inv;
        }
        return out;
    }

    private static double[] matvec(Linear lin, double[] x) {
        double[] y = new double[lin.outFeatures()];
        for (int n = 0; n < y.length; n++) {
            double s = lin.bias(n);
            for (int k = 0; k < x.length; k++) {
                s += x[k] * lin.weight(k, n);
            }
            y[n] = s;
        }
        return y;
    }

    private static double[] toHalf(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Fp16.toFloat(Fp16.fromFloat((float) a[i]));
        }
        return out;
    }

    private static void add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    /**
     * rotate_half RoPE (element i pairs with i + d/2) with the scaling of
     * {@link io.yinghuo.model.engine.rope.RopeSpec.Kind} computed from scratch.
     */
    private void rotate(double[] x, int off, int pos, int total) {
        int d = c.headDim();
        double base = c.ropeTheta();
        int lmax = c.maxPositionEmbeddings();
        double configLinear = c.ropeScaling() != null && c.ropeScaling().type().equals("linear")
                ? c.ropeScaling().factor() : 1;
        String[] parts = rope.split(":");
        double t = pos;
        double mscale = 1;
        double[] inv = new double[d / 2];
        double b = base;
        switch (parts[0]) {
            case "none" -> { }
            case "linear" -> t = pos / Double.parseDouble(parts[1]);
            case "dynamic" -> {
                double f = Double.parseDouble(parts[1]);
                if (total > lmax) {
                    b = base * Math.pow(f * total / lmax - (f - 1), d / (d - 2.0));
                }
            }
            case "ntk" -> {
                t = pos / configLinear;
                if (parts[1].equals("auto")) {
                    if (total > lmax) {
                        b = base * Math.pow(total / (lmax / 2.0) - 1, d / (d - 2.0));
                    }
                } else {
                    b = base * Math.pow(Double.parseDouble(parts[1]), d / (d - 2.0));
                }
            }
            case "yarn" -> { }
            default -> throw new IllegalArgumentException(rope);
        }
        for (int i = 0; i < d / 2; i++) {
            inv[i] = 1 / Math.pow(b, 2.0 * i / d);
        }
        if (parts[0].equals("yarn")) {
            double s = Double.parseDouble(parts[1]);
            double orig = c.ropeScaling() != null && c.ropeScaling().originalMaxPositionEmbeddings() > 0
                    ? c.ropeScaling().originalMaxPositionEmbeddings() : 4096;
            double low = Math.max(0, Math.floor(d * Math.log(orig / (32 * 2 * Math.PI)) / (2 * Math.log(base))));
            double high = Math.min(d - 1, Math.ceil(d * Math.log(orig / (1 * 2 * Math.PI)) / (2 * Math.log(base))));
            if (low == high) {
                high += 0.001;
            }
            for (int i = 0; i < d / 2; i++) {
                double ramp = Math.min(1, Math.max(0, (i - low) / (high - low)));
                double mask = 1 - ramp; // extrapolation weight
                inv[i] = inv[i] / s * (1 - mask) + inv[i] * mask;
            }
            mscale = s > 1 ? 0.1 * Math.log(s) + 1 : 1;
        }
        for (int i = 0; i < d / 2; i++) {
            double a = t * inv[i];
            double cs = Math.cos(a) * mscale;
            double sn = Math.sin(a) * mscale;
            double x1 = x[off + i];
            double x2 = x[off + i + d / 2];
            x[off + i] = x1 * cs - x2 * sn;
            x[off + i + d / 2] = x2 * cs + x1 * sn;
        }
    }
}
