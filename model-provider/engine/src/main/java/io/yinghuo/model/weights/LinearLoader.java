package io.yinghuo.model.weights;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.checkpoint.TensorInfo;
import io.yinghuo.model.config.QuantConfig;

import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.EnumSet;
import java.util.Set;

/**
 * Builds one linear layer from its tensors: an AutoGPTQ quantized layer when {@code <prefix>.qweight} exists
 * (qweight/qzeros/scales/g_idx as AutoGPTQ's QuantLinear registers them), an HF nn.Linear {@code <prefix>.weight}
 * [N, K] otherwise. The GPTQ buffers are views of the mapped tensors (never read here, so their pages are not resident)
 * plus where those tensors lie, for backends that repack them through a short-lived mapping
 * ({@link GptqLinear#stored}); only g_idx (K ints) and a non-zero bias (N floats) are copied.
 */
final class LinearLoader {
    private static final Set<DType> I32 = EnumSet.of(DType.I32);
    private static final Set<DType> F16 = EnumSet.of(DType.F16);

    private final CheckedTensors tensors;
    private final QuantConfig quant;

    LinearLoader(CheckedTensors tensors, QuantConfig quant) {
        this.tensors = tensors;
        this.quant = quant;
    }

    boolean isQuantized(String prefix) {
        return tensors.has(prefix + ".qweight");
    }

    Linear load(String prefix, int k, int n) {
        if (isQuantized(prefix)) {
            if (quant == null) {
                throw new ModelLoadException(tensors.label() + ": tensor " + prefix + ".qweight is GPTQ-quantized but"
                        + " the model directory has no quantize_config.json, quant_config.json or config.json"
                        + " quantization_config saying how (bits, group_size)");
            }
            return loadGptq(prefix, k, n);
        }
        if (!tensors.has(prefix + ".weight") && quant != null) {
            throw new ModelLoadException(tensors.label() + ": missing tensor " + prefix + ".qweight (the quantization"
                    + " config describes a GPTQ checkpoint) and no unquantized " + prefix + ".weight either");
        }
        DenseMatrix w = tensors.matrix(prefix + ".weight", "nn.Linear weight [out_features, in_features]", n, k);
        return new DenseLinear(w, bias(prefix, CheckedTensors.FLOATS, n));
    }

    private GptqLinear loadGptq(String prefix, int k, int n) {
        int bits = quant.bits();
        int perWord = 32 / bits;
        if (k % perWord != 0) {
            throw new ModelLoadException(tensors.label() + ": " + prefix + " has " + k + " input features, not a"
                    + " multiple of " + perWord + " as " + bits + "-bit packing along K requires");
        }
        if (n % perWord != 0) {
            throw new ModelLoadException(tensors.label() + ": " + prefix + " has " + n + " output features, not a"
                    + " multiple of " + perWord + " as " + bits + "-bit qzeros packing along N requires");
        }
        // group_size -1 means one group over all of K (AutoGPTQ sets group_size = infeatures).
        int groupSize = quant.groupSize() == -1 ? k : quant.groupSize();
        int groups = (k + groupSize - 1) / groupSize;
        String layout = bits + "-bit, group size " + groupSize + ", K=" + k + ", N=" + n;

        TensorInfo qweightInfo = tensors.require(prefix + ".qweight", I32, "GPTQ codes " + layout, k / perWord, n);
        TensorInfo qzerosInfo = tensors.require(prefix + ".qzeros", I32, "GPTQ zero points " + layout, groups,
                n / perWord);
        TensorInfo scalesInfo = tensors.require(prefix + ".scales", F16, "GPTQ scales " + layout, groups, n);
        IntBuffer qweight = tensors.buffer(prefix + ".qweight").asIntBuffer();
        IntBuffer qzeros = tensors.buffer(prefix + ".qzeros").asIntBuffer();
        ShortBuffer scales = tensors.buffer(prefix + ".scales").asShortBuffer();
        int[] gIdx = gIdx(prefix, k, groupSize, groups);
        return new GptqLinear(k, n, bits, groupSize, qweight, qzeros, scales, gIdx, bias(prefix, F16, n),
                quant.zerosStoredMinusOne(), new GptqLinear.Stored(qweightInfo, qzerosInfo, scalesInfo));
    }

    /**
     * Trust g_idx over desc_act: it gives every row's group however the file was quantized (act-order makes it
     * non-monotonic, static_groups keeps k / G even with desc_act). Files without one (old GPTQ-for-LLaMa) use k / G.
     */
    private int[] gIdx(String prefix, int k, int groupSize, int groups) {
        String name = prefix + ".g_idx";
        int[] gIdx = new int[k];
        if (!tensors.has(name)) {
            for (int i = 0; i < k; i++) {
                gIdx[i] = i / groupSize;
            }
            return gIdx;
        }
        TensorInfo info = tensors.require(name, I32, "GPTQ group index of every input row", k);
        tensors.buffer(name).asIntBuffer().get(gIdx);
        for (int i = 0; i < k; i++) {
            if (gIdx[i] < 0 || gIdx[i] >= groups) {
                throw new ModelLoadException(info.file() + ": tensor " + name + "[" + i + "] = " + gIdx[i]
                        + " is not a group index in 0.." + (groups - 1));
            }
        }
        return gIdx;
    }

    /**
     * AutoGPTQ before PR #602 (March 2024) created every QuantLinear with a bias and saved it as zeros, although LLaMA
     * has none: an all-zero bias is dropped.
     */
    private float[] bias(String prefix, Set<DType> dtypes, int n) {
        String name = prefix + ".bias";
        if (!tensors.has(name)) {
            return null;
        }
        float[] bias = tensors.vector(name, dtypes, "bias [out_features]", n);
        for (float b : bias) {
            if (b != 0f) {
                return bias;
            }
        }
        return null;
    }
}
