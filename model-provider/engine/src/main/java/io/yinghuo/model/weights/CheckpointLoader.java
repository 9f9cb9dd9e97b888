package io.yinghuo.model.weights;

import io.yinghuo.model.checkpoint.Checkpoints;
import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.checkpoint.TensorSource;
import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.config.LlamaConfigReader;
import io.yinghuo.model.config.QuantConfig;
import io.yinghuo.model.config.QuantConfigReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a LLaMA model directory into {@link LlamaWeights}: config.json, the GPTQ settings (if any) and the
 * safetensors checkpoint, every tensor checked for presence, dtype and exact shape. Names are transformers'
 * LlamaForCausalLM's ({@code model.embed_tokens}, {@code model.layers.N.*}, {@code model.norm}, {@code lm_head});
 * in a GPTQ checkpoint only the seven linears of each layer are quantized (AutoGPTQ auto_gptq/modeling/llama.py),
 * embeddings, norms and lm_head stay unquantized.
 *
 * <p>Weights stay in the memory-mapped files: resident memory is about the checkpoint's size, there is no float copy.
 * The returned weights own the open files; close them when done.
 */
public final class CheckpointLoader {
    private static final Pattern LAYER_INDEX = Pattern.compile("^model\\.layers\\.(\\d+)\\.");

    private CheckpointLoader() {
    }

    public static LlamaWeights load(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new ModelLoadException(modelDir + (Files.exists(modelDir)
                    ? ": not a directory; give the model directory (with config.json and the .safetensors files)"
                    : ": model directory does not exist"));
        }
        LlamaConfig config = LlamaConfigReader.read(modelDir.resolve(QuantConfigReader.CONFIG));
        QuantConfig quant = QuantConfigReader.read(modelDir).orElse(null);
        TensorSource source = Checkpoints.open(modelDir);
        try {
            return load(config, quant, source, modelDir.toString());
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * Builds weights from an already open source (which the result then owns).
     *
     * @param quant null for an unquantized checkpoint
     * @param label names the checkpoint in messages (e.g. its directory)
     */
    public static LlamaWeights load(LlamaConfig config, QuantConfig quant, TensorSource source, String label) {
        CheckedTensors tensors = new CheckedTensors(source, label);
        checkLayerCount(config, source, label);
        LinearLoader linears = new LinearLoader(tensors, quant);
        int h = config.hiddenSize();
        int inter = config.intermediateSize();
        int kv = config.kvDim();

        DenseMatrix embeddings = tensors.matrix("model.embed_tokens.weight", "token embeddings [vocab, hidden]",
                config.vocabSize(), h);
        List<LayerWeights> layers = new ArrayList<>(config.numLayers());
        boolean anyQuantized = false;
        for (int l = 0; l < config.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            String attn = p + "self_attn.";
            String mlp = p + "mlp.";
            anyQuantized |= linears.isQuantized(attn + "q_proj");
            layers.add(new LayerWeights(
                    tensors.vector(p + "input_layernorm.weight", CheckedTensors.FLOATS, "RMSNorm weight [hidden]", h),
                    linears.load(attn + "q_proj", h, h),
                    linears.load(attn + "k_proj", h, kv),
                    linears.load(attn + "v_proj", h, kv),
                    linears.load(attn + "o_proj", h, h),
                    tensors.vector(p + "post_attention_layernorm.weight", CheckedTensors.FLOATS,
                            "RMSNorm weight [hidden]", h),
                    linears.load(mlp + "gate_proj", h, inter),
                    linears.load(mlp + "up_proj", h, inter),
                    linears.load(mlp + "down_proj", inter, h)));
        }
        if (quant != null && !anyQuantized) {
            throw new ModelLoadException(label + ": a GPTQ quantization config is present but the checkpoint has no"
                    + " quantized layers (no model.layers.*.qweight); remove the stray quantization config or use"
                    + " the GPTQ checkpoint");
        }
        float[] finalNorm = tensors.vector("model.norm.weight", CheckedTensors.FLOATS, "final RMSNorm weight [hidden]",
                h);
        Linear lmHead;
        if (config.tieWordEmbeddings()) {
            lmHead = new DenseLinear(embeddings, null); // transformers ties lm_head to embed_tokens
        } else if (linears.isQuantized("lm_head")) {
            lmHead = linears.load("lm_head", h, config.vocabSize());
        } else {
            lmHead = new DenseLinear(tensors.matrix("lm_head.weight", "output projection [vocab, hidden]",
                    config.vocabSize(), h), null);
        }
        return new LlamaWeights(config, quant, embeddings, List.copyOf(layers), finalNorm, lmHead, source);
    }

    /** A checkpoint with more layers than config.json names is the wrong config, not extra data to ignore. */
    private static void checkLayerCount(LlamaConfig config, TensorSource source, String label) {
        int max = -1;
        for (String name : source.names()) {
            Matcher m = LAYER_INDEX.matcher(name);
            if (m.find()) {
                try {
                    max = Math.max(max, Integer.parseInt(m.group(1)));
                } catch (NumberFormatException e) {
                    max = Integer.MAX_VALUE;
                }
            }
        }
        if (max >= config.numLayers()) {
            throw new ModelLoadException(label + ": the checkpoint has tensors for layer " + max + " but config.json"
                    + " says num_hidden_layers = " + config.numLayers());
        }
    }
}
