package io.yinghuo.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.checkpoint.StrictJson;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a Hugging Face {@code config.json} (transformers {@code LlamaConfig},
 * models/llama/configuration_llama.py) into {@link LlamaConfig}.
 *
 * <p>Defaults for absent fields follow transformers' {@code LlamaConfig}: num_key_value_heads = num_attention_heads,
 * rope_theta 10000, rms_norm_eps 1e-6 (transformers' default; every LLaMA-2 config states 1e-5 explicitly),
 * max_position_embeddings 2048, bos 1, eos 2, tie_word_embeddings false. Configs of other architectures are refused:
 * the engine implements exactly the LLaMA forward pass.
 */
public final class LlamaConfigReader {
    static final String LLAMA_ARCHITECTURE = "LlamaForCausalLM";

    private LlamaConfigReader() {
    }

    /** Reads {@code config.json} from a model directory, or the file itself when given one. */
    public static LlamaConfig read(Path configOrModelDir) {
        Path file = Files.isDirectory(configOrModelDir)
                ? configOrModelDir.resolve(QuantConfigReader.CONFIG) : configOrModelDir;
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file + ": no such file (every Hugging Face model directory has a"
                    + " config.json describing the architecture)");
        }
        return parse(StrictJson.readObject(file), file.toString());
    }

    public static LlamaConfig parse(ObjectNode json, String source) {
        JsonFields f = new JsonFields(json, source);
        checkArchitecture(f);
        int hidden = f.positiveInt("hidden_size");
        int intermediate = f.positiveInt("intermediate_size");
        int layers = f.positiveInt("num_hidden_layers");
        int heads = f.positiveInt("num_attention_heads");
        int kvHeads = f.optionalInt("num_key_value_heads", heads);
        int vocab = f.positiveInt("vocab_size");
        if (hidden % heads != 0) {
            throw new ModelLoadException(source + ": hidden_size " + hidden + " is not a multiple of"
                    + " num_attention_heads " + heads);
        }
        if (kvHeads <= 0 || heads % kvHeads != 0) {
            throw new ModelLoadException(source + ": num_attention_heads " + heads + " is not a multiple of"
                    + " num_key_value_heads " + kvHeads);
        }
        int headDim = hidden / heads;
        if (f.has("head_dim") && f.requiredInt("head_dim") != headDim) {
            throw new ModelLoadException(source + ": head_dim " + f.requiredInt("head_dim") + " differs from"
                    + " hidden_size / num_attention_heads = " + headDim + "; LLaMA models have head_dim = hidden/heads");
        }
        if (headDim % 2 != 0) {
            throw new ModelLoadException(source + ": head dimension " + headDim + " must be even for rotary embeddings");
        }
        String act = f.optionalLowerString("hidden_act");
        if (act != null && !act.equals("silu")) {
            throw new ModelLoadException(source + ": hidden_act \"" + act + "\" is not supported; LLaMA uses silu");
        }
        double eps = f.optionalDouble("rms_norm_eps", 1e-6);
        double theta = f.optionalDouble("rope_theta", 10000.0);
        if (!(eps > 0) || !(theta > 0)) {
            throw new ModelLoadException(source + ": rms_norm_eps and rope_theta must be positive");
        }
        int maxPositions = f.optionalInt("max_position_embeddings", 2048);
        if (maxPositions <= 0) {
            throw new ModelLoadException(source + ": max_position_embeddings must be positive, found " + maxPositions);
        }
        return new LlamaConfig(hidden, intermediate, layers, heads, kvHeads, vocab, eps, theta, maxPositions,
                readRopeScaling(f), tokenId(f, "bos_token_id", 1), tokenId(f, "eos_token_id", 2),
                f.optionalBoolean("tie_word_embeddings", false));
    }

    private static void checkArchitecture(JsonFields f) {
        String modelType = f.optionalLowerString("model_type");
        if (modelType != null && !modelType.equals("llama")) {
            throw new ModelLoadException(f.source() + ": model_type \"" + modelType + "\" is not supported;"
                    + " Yinghuo runs LLaMA / LLaMA-2 models (model_type \"llama\")");
        }
        JsonNode archs = f.get("architectures");
        if (archs != null) {
            if (!archs.isArray() || archs.isEmpty()) {
                throw new ModelLoadException(f.source() + ": \"architectures\" must be a non-empty list");
            }
            for (JsonNode a : archs) {
                // Early conversions spelled it LLaMAForCausalLM.
                if (!a.isTextual() || !a.textValue().equalsIgnoreCase(LLAMA_ARCHITECTURE)) {
                    throw new ModelLoadException(f.source() + ": architecture " + a + " is not supported;"
                            + " Yinghuo runs " + LLAMA_ARCHITECTURE + " models");
                }
            }
        } else if (modelType == null) {
            throw new ModelLoadException(f.source() + ": neither \"model_type\" nor \"architectures\" is set;"
                    + " cannot tell that this is a LLaMA model");
        }
    }

    /** Newer configs allow a list of eos ids; the first is the one generation stops on by default. */
    private static int tokenId(JsonFields f, String field, int defaultValue) {
        JsonNode v = f.get(field);
        if (v == null) {
            return defaultValue;
        }
        if (v.isArray()) {
            if (v.isEmpty() || !v.get(0).canConvertToInt()) {
                throw new ModelLoadException(f.source() + ": \"" + field + "\" must be a token id, found " + v);
            }
            return v.get(0).intValue();
        }
        return f.requiredInt(field);
    }

    private static RopeScalingConfig readRopeScaling(JsonFields f) {
        JsonNode node = f.get("rope_scaling");
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            throw new ModelLoadException(f.source() + ": \"rope_scaling\" must be an object or null, found " + node);
        }
        JsonFields r = new JsonFields((ObjectNode) node, f.source() + " rope_scaling");
        String type = r.optionalLowerString("type");
        if (type == null) {
            type = r.optionalLowerString("rope_type");
        }
        if (type == null) {
            throw new ModelLoadException(f.source() + ": rope_scaling has neither \"type\" nor \"rope_type\"");
        }
        if (type.equals("default")) {
            return null; // newer transformers write {"rope_type": "default"} for plain RoPE
        }
        if (!type.equals("linear") && !type.equals("dynamic") && !type.equals("yarn")) {
            throw new ModelLoadException(f.source() + ": rope_scaling type \"" + type + "\" is not supported;"
                    + " expected linear, dynamic or yarn");
        }
        if (!r.has("factor")) {
            throw new ModelLoadException(f.source() + ": rope_scaling (" + type + ") has no \"factor\"");
        }
        double factor = r.optionalDouble("factor", 1.0);
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new ModelLoadException(f.source() + ": rope_scaling factor must be a number >= 1, found " + factor);
        }
        int original = r.optionalInt("original_max_position_embeddings", 0);
        if (original < 0) {
            throw new ModelLoadException(f.source() + ": rope_scaling original_max_position_embeddings must not be"
                    + " negative, found " + original);
        }
        return new RopeScalingConfig(type, factor, original);
    }
}
