package io.yinghuo.model.weights;

import io.yinghuo.model.checkpoint.TensorInfo;
import io.yinghuo.model.util.Fp16;

import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * An AutoGPTQ quantized linear layer exactly as stored (buffers and packing of AutoGPTQ's
 * auto_gptq/nn_modules/qlinear/qlinear_cuda_old.py {@code QuantLinear}), over mapped buffers:
 * <ul>
 *   <li>{@code qweight} int32 [K*bits/32, N]: codes packed along K, code s of a word at bit offset bits*s;</li>
 *   <li>{@code qzeros} int32 [groups, N*bits/32]: zero points packed along N;</li>
 *   <li>{@code scales} fp16 bits [groups, N];</li>
 *   <li>{@code gIdx} [K]: group of every input row (k / groupSize when the file has none);</li>
 *   <li>{@code zerosStoredMinusOne}: checkpoint_format "gptq" (v1) stores zero - 1 ({@code pack()}
 *       subtracts 1, every v1 reader adds it back), "gptq_v2" (GPTQModel) the zero itself.</li>
 * </ul>
 * W[k,n] = scale[g,n] * (q(k,n) - zero(g,n)) with g = gIdx[k].
 *
 * @param groupSize the effective group size (K when the config says -1)
 * @param biasValues null when there is no bias (all-zero AutoGPTQ biases may be dropped by the loader)
 * @param stored where qweight, qzeros and scales lie in the checkpoint files, so a backend that repacks them once can
 *     read them through a short-lived mapping of its own and leave these long-lived buffers untouched (their pages
 *     then never become resident); null when the buffers do not come from a file
 */
public record GptqLinear(
        int inFeatures,
        int outFeatures,
        int bits,
        int groupSize,
        IntBuffer qweight,
        IntBuffer qzeros,
        ShortBuffer scales,
        int[] gIdx,
        float[] biasValues,
        boolean zerosStoredMinusOne,
        Stored stored) implements Linear {

    /** The checkpoint tensors behind {@link #qweight}, {@link #qzeros} and {@link #scales}. */
    public record Stored(TensorInfo qweight, TensorInfo qzeros, TensorInfo scales) {
    }

    /**
     * This layer over other buffers holding the same tensors (e.g. a transient mapping of {@link #stored}): same
     * shape and settings, no {@code stored}.
     *
     * @throws IllegalArgumentException when a buffer's length differs from this layer's
     */
    public GptqLinear withBuffers(IntBuffer qweight, IntBuffer qzeros, ShortBuffer scales) {
        if (qweight.capacity() != this.qweight.capacity() || qzeros.capacity() != this.qzeros.capacity()
                || scales.capacity() != this.scales.capacity()) {
            throw new IllegalArgumentException("replacement GPTQ buffers of " + qweight.capacity() + "/"
                    + qzeros.capacity() + "/" + scales.capacity() + " elements for a layer of "
                    + this.qweight.capacity() + "/" + this.qzeros.capacity() + "/" + this.scales.capacity());
        }
        return new GptqLinear(inFeatures, outFeatures, bits, groupSize, qweight, qzeros, scales, gIdx, biasValues,
                zerosStoredMinusOne, null);
    }

    public int codesPerWord() {
        return 32 / bits;
    }

    public int mask() {
        return (1 << bits) - 1;
    }

    public int groups() {
        return (inFeatures + groupSize - 1) / groupSize;
    }

    /**
     * How many input rows each group has, after checking that g_idx names a group for every row (act-order
     * checkpoints list rows of one group anywhere; backends gather them group by group).
     *
     * @throws IllegalArgumentException when g_idx has the wrong length or a group outside 0..groups-1
     */
    public int[] rowsPerGroup() {
        if (gIdx.length != inFeatures) {
            throw new IllegalArgumentException("g_idx has " + gIdx.length + " entries for K=" + inFeatures);
        }
        int groups = groups();
        int[] count = new int[groups];
        for (int r = 0; r < inFeatures; r++) {
            int g = gIdx[r];
            if (g < 0 || g >= groups) {
                throw new IllegalArgumentException("g_idx[" + r + "] = " + g + " is outside 0.." + (groups - 1)
                        + " (K=" + inFeatures + ", N=" + outFeatures + ", group size " + groupSize + ")");
            }
            count[g]++;
        }
        return count;
    }

    /** The code q(k,n). */
    public int code(int k, int n) {
        int per = codesPerWord();
        int word = qweight.get((k / per) * outFeatures + n);
        return (word >>> (bits * (k % per))) & mask();
    }

    /** The zero point of group g, column n, with the v1 "+1" applied (not masked, as AutoGPTQ's qlinear_cuda). */
    public int zero(int g, int n) {
        int per = codesPerWord();
        int word = qzeros.get(g * (outFeatures / per) + n / per);
        int stored = (word >>> (bits * (n % per))) & mask();
        return zerosStoredMinusOne ? stored + 1 : stored;
    }

    public float scale(int g, int n) {
        return Fp16.toFloat(scales.get(g * outFeatures + n));
    }

    @Override
    public float weight(int k, int n) {
        int g = gIdx[k];
        return scale(g, n) * (code(k, n) - zero(g, n));
    }

    @Override
    public float bias(int n) {
        return biasValues == null ? 0f : biasValues[n];
    }

    /** True when g_idx is not k / groupSize, i.e. the checkpoint was quantized with act-order. */
    public boolean actOrder() {
        for (int k = 0; k < inFeatures; k++) {
            if (gIdx[k] != k / groupSize) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long storageBytes() {
        return (long) qweight.capacity() * 4 + (long) qzeros.capacity() * 4 + (long) scales.capacity() * 2
                + (long) gIdx.length * 4;
    }
}
