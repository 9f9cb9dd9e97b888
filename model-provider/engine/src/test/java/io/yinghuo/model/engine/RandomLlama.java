package io.yinghuo.model.engine;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.config.QuantConfig;
import io.yinghuo.model.config.RopeScalingConfig;
import io.yinghuo.model.util.Fp16;
import io.yinghuo.model.weights.DenseLinear;
import io.yinghuo.model.weights.DenseMatrix;
import io.yinghuo.model.weights.GptqLinear;
import io.yinghuo.model.weights.LayerWeights;
import io.yinghuo.model.weights.Linear;
import io.yinghuo.model.weights.LlamaWeights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random LLaMA weights built in memory, packed exactly as AutoGPTQ files store them (qlinear_cuda_old.py):
 * qweight int32 [K*bits/32, N] packed along K, qzeros [groups, N*bits/32] packed along N, fp16 scales, g_idx
 * (a random permutation's groups for act-order), v1 zeros stored minus one or v2 zeros as is.
 */
public final class RandomLlama {
    private RandomLlama() {
    }

    /** Shape and storage of a random model. {@code quantBits} 0 = dense {@code denseType} linears. */
    public record Spec(int hidden, int intermediate, int layers, int heads, int kvHeads, int vocab,
                       int maxPositions, RopeScalingConfig ropeScaling, int quantBits, int groupSize,
                       boolean actOrder, boolean v1Zeros, DType denseType, DType headType, long seed) {

        public static Spec tiny() {
            return new Spec(64, 96, 2, 4, 4, 50, 64, null, 4, 32, false, true, DType.F16, DType.F16, 1);
        }

        public Spec withQuant(int bits, int group, boolean actOrder, boolean v1) {
            return new Spec(hidden, intermediate, layers, heads, kvHeads, vocab, maxPositions, ropeScaling, bits,
                    group, actOrder, v1, denseType, headType, seed);
        }

        public Spec dense(DType type) {
            return new Spec(hidden, intermediate, layers, heads, kvHeads, vocab, maxPositions, ropeScaling, 0,
                    groupSize, actOrder, v1Zeros, type, type, seed);
        }

        public Spec withHeads(int h, int kv) {
            return new Spec(hidden, intermediate, layers, h, kv, vocab, maxPositions, ropeScaling, quantBits,
                    groupSize, actOrder, v1Zeros, denseType, headType, seed);
        }

        public Spec withRope(int maxPos, RopeScalingConfig scaling) {
            return new Spec(hidden, intermediate, layers, heads, kvHeads, vocab, maxPos, scaling, quantBits,
                    groupSize, actOrder, v1Zeros, denseType, headType, seed);
        }

        public Spec withShape(int hiddenSize, int inter, int nLayers, int nHeads, int nKv, int vocabSize) {
            return new Spec(hiddenSize, inter, nLayers, nHeads, nKv, vocabSize, maxPositions, ropeScaling,
                    quantBits, groupSize, actOrder, v1Zeros, denseType, headType, seed);
        }

        public Spec withSeed(long s) {
            return new Spec(hidden, intermediate, layers, heads, kvHeads, vocab, maxPositions, ropeScaling,
                    quantBits, groupSize, actOrder, v1Zeros, denseType, headType, s);
        }
    }

    public static LlamaWeights build(Spec s) {
        Random r = new Random(s.seed());
        LlamaConfig config = new LlamaConfig(s.hidden(), s.intermediate(), s.layers(), s.heads(), s.kvHeads(),
                s.vocab(), 1e-5, 10000.0, s.maxPositions(), s.ropeScaling(), 1, 2, false);
        int kv = config.kvDim();
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < s.layers(); l++) {
            layers.add(new LayerWeights(norm(r, s.hidden()),
                    linear(r, s, s.hidden(), s.hidden()), linear(r, s, s.hidden(), kv), linear(r, s, s.hidden(), kv),
                    linear(r, s, s.hidden(), s.hidden()), norm(r, s.hidden()),
                    linear(r, s, s.hidden(), s.intermediate()), linear(r, s, s.hidden(), s.intermediate()),
                    linear(r, s, s.intermediate(), s.hidden())));
        }
        QuantConfig quant = s.quantBits() == 0 ? null
                : new QuantConfig(s.quantBits(), s.groupSize(), s.actOrder(), true, s.v1Zeros());
        DenseMatrix embeddings = denseMatrix(r, s.vocab(), s.hidden(), s.denseType(), 1.0f);
        DenseLinear head = dense(r, s.hidden(), s.vocab(), s.headType());
        return new LlamaWeights(config, quant, embeddings, layers, norm(r, s.hidden()), head, null);
    }

    private static Linear linear(Random r, Spec s, int k, int n) {
        return s.quantBits() == 0 ? dense(r, k, n, s.denseType())
                : gptq(r, k, n, s.quantBits(), s.groupSize(), s.actOrder(), s.v1Zeros());
    }

    private static float[] norm(Random r, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5f + r.nextFloat();
        }
        return w;
    }

    /** A dense [n, k] linear with weights of about 1/sqrt(k). */
    public static DenseLinear dense(Random r, int k, int n, DType type) {
        return new DenseLinear(denseMatrix(r, n, k, type, (float) (1.7 / Math.sqrt(k))), null);
    }

    public static DenseMatrix denseMatrix(Random r, int rows, int cols, DType type, float amplitude) {
        ByteBuffer b = ByteBuffer.allocate(rows * cols * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * cols; i++) {
            float v = (r.nextFloat() * 2 - 1) * amplitude;
            switch (type) {
                case F16 -> b.putShort(Fp16.fromFloat(v));
                case BF16 -> b.putShort(Fp16.floatToBf16(v));
                case F32 -> b.putFloat(v);
                default -> throw new IllegalArgumentException(type.name());
            }
        }
        b.clear();
        return new DenseMatrix(rows, cols, type, b);
    }

    /**
     * A GPTQ linear with random codes and zeros and scales sized so weights are about 1/sqrt(k).
     *
     * @param groupSize -1 for one group over all of K
     */
    public static GptqLinear gptq(Random r, int k, int n, int bits, int groupSize, boolean actOrder, boolean v1) {
        int per = 32 / bits;
        if (k % per != 0 || n % per != 0) {
            throw new IllegalArgumentException("K and N must be multiples of " + per + " for " + bits + " bits");
        }
        int g = groupSize < 0 ? k : groupSize;
        int groups = (k + g - 1) / g;
        int maxq = (1 << bits) - 1;
        int[] gIdx = new int[k];
        if (actOrder) {
            int[] perm = permutation(r, k);
            for (int i = 0; i < k; i++) {
                gIdx[perm[i]] = i / g; // act-order: g_idx[k] = position of k in the Hessian order / G
            }
        } else {
            for (int i = 0; i < k; i++) {
                gIdx[i] = i / g;
            }
        }
        int[] qweight = new int[k / per * n];
        for (int i = 0; i < qweight.length; i++) {
            qweight[i] = r.nextInt(); // every code uniform in 0..maxq
        }
        int[] qzeros = new int[groups * (n / per)];
        short[] scales = new short[groups * n];
        double amp = 1.7 / Math.sqrt(k) / ((maxq + 1) / 2.0);
        for (int gi = 0; gi < groups; gi++) {
            for (int c = 0; c < n; c++) {
                // v1 files store zero - 1 and readers add 1 unmasked (so a zero of 0 is impossible there and
                // maxq + 1 is possible)
                int zero = v1 ? 1 + r.nextInt(maxq + 1) : r.nextInt(maxq + 1);
                int stored = v1 ? zero - 1 : zero;
                qzeros[gi * (n / per) + c / per] |= stored << (bits * (c % per));
                scales[gi * n + c] = Fp16.fromFloat((float) (amp * (0.5 + r.nextDouble())));
            }
        }
        return new GptqLinear(k, n, bits, g, IntBuffer.wrap(qweight), IntBuffer.wrap(qzeros),
                ShortBuffer.wrap(scales), gIdx, null, v1, null);
    }

    public static int[] permutation(Random r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public static int[] tokens(Random r, int count, int vocab) {
        int[] t = new int[count];
        for (int i = 0; i < count; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }
}
