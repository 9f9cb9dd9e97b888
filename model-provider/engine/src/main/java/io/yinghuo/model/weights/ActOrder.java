package io.yinghuo.model.weights;

import java.util.Arrays;

/**
 * The act-order row sort shared by the CPU ({@code PackedGptq}) and CUDA ({@code GptqLayout}) GPTQ layouts.
 *
 * <p>A checkpoint quantized with desc_act keeps its qweight rows in the original K order, with g_idx[k] naming the
 * group of row k in any order (AutoGPTQ {@code auto_gptq/quantization/gptq.py}, {@code fasterquant}). Sorting the
 * rows stably by group, then by original row, makes every group one contiguous run, so a kernel reads each group's
 * scale and zero once and gathers the activation through the permutation: y = x[perm] . W[perm, :] = x . W. This is
 * the order of ExLlamaV2's {@code make_sequential} (exllamav2 {@code exllamav2_ext/cuda/q_matrix.cu}).
 */
public final class ActOrder {
    private ActOrder() {
    }

    /**
     * Where each group starts in the sorted order when every group is padded to a multiple of {@code align} rows:
     * {@code starts[0] = 0}, {@code starts[g + 1] = starts[g] + ceil(rowsPerGroup[g] / align) * align}, so
     * {@code starts[groups]} is K after padding.
     */
    public static int[] groupStarts(int[] rowsPerGroup, int align) {
        int[] starts = new int[rowsPerGroup.length + 1];
        for (int g = 0; g < rowsPerGroup.length; g++) {
            starts[g + 1] = starts[g] + (rowsPerGroup[g] + align - 1) / align * align;
        }
        return starts;
    }

    /**
     * The sort permutation: {@code perm[starts[g] + i]} is the i-th smallest original row with
     * {@code gIdx[row] == g}; every other entry, up to {@code length}, is -1 (padding). A counting sort: one pass.
     *
     * @param gIdx   group of every original row, already checked ({@link GptqLinear#rowsPerGroup})
     * @param starts from {@link #groupStarts}, built from the counts of the same gIdx
     * @param length at least {@code starts[groups]}; longer when the caller pads K further
     */
    public static int[] permutation(int[] gIdx, int[] starts, int length) {
        int[] perm = new int[length];
        Arrays.fill(perm, -1);
        int[] fill = new int[starts.length - 1];
        for (int r = 0; r < gIdx.length; r++) {
            int g = gIdx[r];
            perm[starts[g] + fill[g]++] = r;
        }
        return perm;
    }
}
