package io.yinghuo.model.synth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.checkpoint.Checkpoints;
import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.checkpoint.StrictJson;
import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.config.QuantConfig;
import io.yinghuo.model.config.RopeScalingConfig;
import io.yinghuo.model.tokenizer.SentencePieceModel;
import io.yinghuo.model.util.Fp16;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a complete, deterministic LLaMA model directory with random weights, in the exact layout of an AutoGPTQ
 * (TheBloke-style) GPTQ checkpoint or of an unquantized fp16/bf16 Hugging Face checkpoint (tensor names and
 * shapes of transformers' LlamaForCausalLM, quantized linears as AutoGPTQ's QuantLinear stores them):
 * {@code config.json}, {@code quantize_config.json}, {@code generation_config.json}, {@code model.safetensors}
 * (or shards plus {@code model.safetensors.index.json}) and optionally a copied {@code tokenizer.model}.
 *
 * <pre>{@code
 * CheckpointSynthesizer.builder().shape(Shape.TINY).bits(4).groupSize(128).actOrder(true).sym(false)
 *         .format(GptqFormat.GPTQ).seed(1).build().write(dir);
 * }</pre>
 *
 * <p>Every tensor is a function of (seed, tensor name), so the file is streamed tensor by tensor (a 7B checkpoint is
 * ~4 GB and never in memory) and {@link #linear} / {@link #normWeight} recompute exactly what was written.
 *
 * <p>Scale choices, made so that next-token distributions are peaked like a trained model's, not uniform: linears are
 * N(0, 1/K) (unit-size activations through each layer), embeddings N(0, 1), RMSNorm weights 1 + N(0, 0.05^2), and
 * lm_head N(0, (6/sqrt(H))^2). After the final RMSNorm the hidden state has rms about 1, so logits are roughly normal
 * with standard deviation 6: over a 55296-token vocabulary the largest logit is then a few units above the rest, and
 * the top tokens carry a large share of the probability (a uniform distribution would have entropy ln V = 10.9 nats).
 */
public final class CheckpointSynthesizer {
    /** Standard deviation of the logits (see the class comment). */
    static final float LOGIT_STD = 6f;
    static final float NORM_NOISE = 0.05f;

    private final Shape shape;
    private final LlamaConfig config;
    private final QuantConfig quant;
    private final GptqFormat format;
    private final DType plainDtype;
    private final long seed;
    private final Path tokenizer;
    private final boolean zeroBias;
    private final boolean rotaryInvFreq;
    private final int shards;

    private CheckpointSynthesizer(Builder b, LlamaConfig config, QuantConfig quant) {
        this.shape = b.shape;
        this.config = config;
        this.quant = quant;
        this.format = b.format;
        this.plainDtype = b.plainDtype;
        this.seed = b.seed;
        this.tokenizer = b.tokenizer;
        this.zeroBias = b.zeroBias;
        this.rotaryInvFreq = b.rotaryInvFreq;
        this.shards = b.shards;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Shape shape() {
        return shape;
    }

    /** The config.json this synthesizer writes, as the loader will read it. */
    public LlamaConfig config() {
        return config;
    }

    /** The GPTQ settings, or null when writing an unquantized checkpoint. */
    public QuantConfig quant() {
        return quant;
    }

    public long seed() {
        return seed;
    }

    /**
     * A linear layer by tensor prefix: {@code model.layers.L.self_attn.q_proj} (k/v/o), {@code model.layers.L.mlp.
     * gate_proj} (up/down), {@code lm_head}, or {@code model.embed_tokens} (as a [vocab, hidden] matrix: k is the
     * hidden index, n the token id).
     */
    public SyntheticLinear linear(String prefix) {
        int h = config.hiddenSize();
        int v = config.vocabSize();
        DType dense = plainDtype != null ? plainDtype : DType.F16;
        if (prefix.equals("model.embed_tokens")) {
            return new SyntheticLinear(prefix, h, v, 1f, seed, null, dense);
        }
        if (prefix.equals("lm_head")) {
            return new SyntheticLinear(prefix, h, v, LOGIT_STD / (float) Math.sqrt(h), seed, null, dense);
        }
        String[] parts = prefix.split("\\.");
        if (parts.length != 5 || !parts[0].equals("model") || !parts[1].equals("layers")) {
            throw new IllegalArgumentException("not a linear layer of this model: " + prefix);
        }
        int layer = Integer.parseInt(parts[2]);
        if (layer < 0 || layer >= config.numLayers()) {
            throw new IllegalArgumentException("no layer " + layer + " in a " + config.numLayers() + "-layer model");
        }
        int[] kn = switch (parts[3] + "." + parts[4]) {
            case "self_attn.q_proj", "self_attn.o_proj" -> new int[] {h, h};
            case "self_attn.k_proj", "self_attn.v_proj" -> new int[] {h, config.kvDim()};
            case "mlp.gate_proj", "mlp.up_proj" -> new int[] {h, config.intermediateSize()};
            case "mlp.down_proj" -> new int[] {config.intermediateSize(), h};
            default -> throw new IllegalArgumentException("not a linear layer of this model: " + prefix);
        };
        return new SyntheticLinear(prefix, kn[0], kn[1], 1f / (float) Math.sqrt(kn[0]), seed, quant, dense);
    }

    /** Element i of an RMSNorm weight ({@code model.layers.L.input_layernorm.weight}, ..., {@code model.norm.weight}). */
    public float normWeight(String tensorName, int i) {
        short bits = normBits(tensorName, i);
        return plainDtype == DType.BF16 ? Fp16.bf16ToFloat(bits) : Fp16.toFloat(bits);
    }

    private short normBits(String tensorName, int i) {
        float w = 1f + NORM_NOISE * SyntheticValues.normal(SyntheticValues.tensorSeed(seed, tensorName), i);
        return plainDtype == DType.BF16 ? Fp16.floatToBf16(w) : Fp16.fromFloat(w);
    }

    /**
     * Writes the model directory (created if needed). Files of the same names are replaced, and checkpoint files this
     * model does not have (a quantize_config.json, shards or an index of an earlier model) are removed, so that the
     * directory never mixes two models.
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        removeStaleFiles(dir);
        writeJson(dir.resolve("config.json"), configJson());
        if (quant != null) {
            writeJson(dir.resolve("quantize_config.json"), quantizeConfigJson());
        }
        writeJson(dir.resolve("generation_config.json"), generationConfigJson());
        if (tokenizer != null) {
            Files.copy(tokenizer, dir.resolve("tokenizer.model"), StandardCopyOption.REPLACE_EXISTING);
        }
        List<List<TensorPlan>> files = planShards();
        if (files.size() == 1) {
            writeSafetensors(dir.resolve(Checkpoints.SINGLE), files.get(0));
            return;
        }
        Map<String, String> weightMap = new TreeMap<>();
        long totalSize = 0;
        for (int s = 0; s < files.size(); s++) {
            String name = String.format("model-%05d-of-%05d.safetensors", s + 1, files.size());
            writeSafetensors(dir.resolve(name), files.get(s));
            for (TensorPlan t : files.get(s)) {
                weightMap.put(t.name(), name);
                totalSize += t.bytes();
            }
        }
        ObjectNode index = StrictJson.mapper().createObjectNode();
        index.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        writeJson(dir.resolve(Checkpoints.INDEX), index);
    }

    private static void removeStaleFiles(Path dir) throws IOException {
        for (String name : new String[] {"quantize_config.json", "quant_config.json", Checkpoints.INDEX,
                Checkpoints.SINGLE}) {
            Files.deleteIfExists(dir.resolve(name));
        }
        try (var shards = Files.newDirectoryStream(dir, "model-*-of-*.safetensors")) {
            for (Path p : shards) {
                Files.delete(p);
            }
        }
    }

    // ---- tensor plan ----

    private record TensorPlan(String name, DType dtype, long[] shape, SafetensorsWriter.TensorContent content) {
        long bytes() {
            long n = dtype.bytes();
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** One list per file: the embeddings with the first layers, the final norm and lm_head with the last. */
    private List<List<TensorPlan>> planShards() {
        List<List<TensorPlan>> files = new ArrayList<>();
        int layers = config.numLayers();
        for (int s = 0; s < shards; s++) {
            List<TensorPlan> file = new ArrayList<>();
            if (s == 0) {
                addDense(file, linear("model.embed_tokens"));
            }
            for (int l = s * layers / shards; l < (s + 1) * layers / shards; l++) {
                addLayer(file, l);
            }
            if (s == shards - 1) {
                addNorm(file, "model.norm.weight");
                addDense(file, linear("lm_head"));
            }
            files.add(file);
        }
        return files;
    }

    private void addLayer(List<TensorPlan> file, int l) {
        String p = "model.layers." + l + ".";
        addNorm(file, p + "input_layernorm.weight");
        addNorm(file, p + "post_attention_layernorm.weight");
        for (String name : new String[] {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"}) {
            SyntheticLinear lin = linear(p + name);
            if (quant == null) {
                addDense(file, lin);
            } else {
                addGptq(file, lin);
            }
        }
        if (rotaryInvFreq) {
            int half = config.headDim() / 2;
            file.add(new TensorPlan(p + "self_attn.rotary_emb.inv_freq", DType.F32, new long[] {half}, out -> {
                for (int i = 0; i < half; i++) {
                    out.putFloat((float) Math.pow(config.ropeTheta(), -2.0 * i / config.headDim()));
                }
            }));
        }
    }

    private void addDense(List<TensorPlan> file, SyntheticLinear lin) {
        DType dtype = plainDtype != null ? plainDtype : DType.F16;
        file.add(new TensorPlan(lin.prefix() + ".weight", dtype,
                new long[] {lin.outFeatures(), lin.inFeatures()}, lin::writePlain));
    }

    private void addNorm(List<TensorPlan> file, String name) {
        DType dtype = plainDtype != null ? plainDtype : DType.F16;
        int h = config.hiddenSize();
        file.add(new TensorPlan(name, dtype, new long[] {h}, out -> {
            for (int i = 0; i < h; i++) {
                out.putShort(normBits(name, i));
            }
        }));
    }

    /**
     * AutoGPTQ tensors (qlinear_cuda_old.py buffers): qweight I32 [K*bits/32, N], qzeros I32 [groups, N*bits/32],
     * scales F16 [groups, N], g_idx I32 [K], optional bias F16 [N]. The writer emits g_idx, qweight, qzeros together
     * (I32, sorted by name) and scales much later (F16), so after qzeros only the fp16 scales are kept (about 100 MB
     * for all of a 7B model, 200 MB for 13B; the full tables would be five times as much), and dropped once written.
     */
    private void addGptq(List<TensorPlan> file, SyntheticLinear lin) {
        int k = lin.inFeatures();
        int n = lin.outFeatures();
        int per = 32 / quant.bits();
        String p = lin.prefix();
        long groups = lin.groups();
        file.add(new TensorPlan(p + ".qweight", DType.I32, new long[] {k / per, n}, lin::writeQweight));
        file.add(new TensorPlan(p + ".qzeros", DType.I32, new long[] {groups, n / per}, out -> {
            lin.writeQzeros(out);
            lin.retainScalesOnly();
        }));
        file.add(new TensorPlan(p + ".scales", DType.F16, new long[] {groups, n}, out -> {
            lin.writeScales(out);
            lin.releaseTables();
        }));
        file.add(new TensorPlan(p + ".g_idx", DType.I32, new long[] {k}, lin::writeGIdx));
        if (zeroBias) {
            file.add(new TensorPlan(p + ".bias", DType.F16, new long[] {n}, out -> {
                for (int i = 0; i < n; i++) {
                    out.putShort((short) 0);
                }
            }));
        }
    }

    private static void writeSafetensors(Path file, List<TensorPlan> tensors) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        for (TensorPlan t : tensors) {
            writer.add(t.name(), t.dtype(), t.shape(), t.content());
        }
        writer.write(file);
    }

    // ---- JSON files ----

    private ObjectNode configJson() {
        ObjectNode c = StrictJson.mapper().createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("hidden_size", config.hiddenSize());
        c.put("intermediate_size", config.intermediateSize());
        c.put("num_hidden_layers", config.numLayers());
        c.put("num_attention_heads", config.numHeads());
        c.put("num_key_value_heads", config.numKvHeads());
        c.put("vocab_size", config.vocabSize());
        c.put("max_position_embeddings", config.maxPositionEmbeddings());
        c.put("rms_norm_eps", config.rmsNormEps());
        c.put("rope_theta", config.ropeTheta());
        RopeScalingConfig rope = config.ropeScaling();
        if (rope == null) {
            c.putNull("rope_scaling");
        } else {
            ObjectNode r = c.putObject("rope_scaling");
            r.put("type", rope.type());
            r.put("factor", rope.factor());
            if (rope.originalMaxPositionEmbeddings() > 0) {
                r.put("original_max_position_embeddings", rope.originalMaxPositionEmbeddings());
            }
        }
        c.put("hidden_act", "silu");
        c.put("initializer_range", 0.02);
        c.put("pretraining_tp", 1);
        c.put("bos_token_id", config.bosTokenId());
        c.put("eos_token_id", config.eosTokenId());
        c.put("pad_token_id", 0);
        c.put("tie_word_embeddings", config.tieWordEmbeddings());
        c.put("torch_dtype", plainDtype == DType.BF16 ? "bfloat16" : "float16");
        c.put("use_cache", true);
        if (quant != null) {
            c.set("quantization_config", quantizeConfigJson());
        }
        return c;
    }

    /** AutoGPTQ's {@code BaseQuantizeConfig.to_dict()} keys (auto_gptq/quantization/config.py). */
    private ObjectNode quantizeConfigJson() {
        ObjectNode q = StrictJson.mapper().createObjectNode();
        q.put("bits", quant.bits());
        q.put("group_size", quant.groupSize());
        q.put("damp_percent", 0.01);
        q.put("desc_act", quant.descAct());
        q.put("static_groups", false);
        q.put("sym", quant.sym());
        q.put("true_sequential", true);
        q.putNull("model_name_or_path");
        q.put("model_file_base_name", "model");
        q.put("quant_method", "gptq");
        q.put("checkpoint_format", format.configName());
        return q;
    }

    private ObjectNode generationConfigJson() {
        ObjectNode g = StrictJson.mapper().createObjectNode();
        g.put("bos_token_id", config.bosTokenId());
        g.put("eos_token_id", config.eosTokenId());
        g.put("pad_token_id", 0);
        return g;
    }

    private static void writeJson(Path file, ObjectNode json) throws IOException {
        Files.writeString(file, StrictJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }

    /** Options; defaults: tiny, 4-bit, group 128, no act-order, sym, v1 "gptq", seed 1, zero biases on. */
    public static final class Builder {
        private Shape shape = Shape.TINY;
        private int bits = 4;
        private int groupSize = 128;
        private boolean actOrder;
        private boolean sym = true;
        private GptqFormat format = GptqFormat.GPTQ;
        private DType plainDtype;
        private long seed = 1;
        private Path tokenizer;
        private Integer vocabSize;
        private Integer numLayers;
        private boolean zeroBias = true;
        private boolean rotaryInvFreq;
        private int shards = 1;
        private int maxPositionEmbeddings = 4096;
        private RopeScalingConfig ropeScaling;

        private Builder() {
        }

        public Builder shape(Shape shape) {
            this.shape = shape;
            return this;
        }

        /** 4 or 8. */
        public Builder bits(int bits) {
            this.bits = bits;
            return this;
        }

        /** A positive group size, or -1 for one group over all of K. */
        public Builder groupSize(int groupSize) {
            this.groupSize = groupSize;
            return this;
        }

        /** desc_act: quantize groups over a random permutation of the input rows (non-monotonic g_idx). */
        public Builder actOrder(boolean actOrder) {
            this.actOrder = actOrder;
            return this;
        }

        public Builder sym(boolean sym) {
            this.sym = sym;
            return this;
        }

        public Builder format(GptqFormat format) {
            this.format = format;
            return this;
        }

        /** Writes an unquantized checkpoint in F16 or BF16 instead of GPTQ; null goes back to GPTQ. */
        public Builder unquantized(DType dtype) {
            this.plainDtype = dtype;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** A tokenizer.model to copy into the directory; the vocabulary size becomes its piece count. */
        public Builder tokenizer(Path tokenizerModel) {
            this.tokenizer = tokenizerModel;
            return this;
        }

        /** Overrides the shape's vocabulary size. */
        public Builder vocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /** Overrides the shape's number of layers. */
        public Builder numLayers(int numLayers) {
            this.numLayers = numLayers;
            return this;
        }

        /**
         * Whether to write the all-zero F16 biases old AutoGPTQ versions saved: before AutoGPTQ PR #602 (March 2024)
         * {@code make_quant} created every QuantLinear with a bias, although LLaMA has none.
         */
        public Builder zeroBias(boolean zeroBias) {
            this.zeroBias = zeroBias;
            return this;
        }

        /** Whether to write the {@code rotary_emb.inv_freq} buffers older transformers saved. */
        public Builder rotaryInvFreq(boolean rotaryInvFreq) {
            this.rotaryInvFreq = rotaryInvFreq;
            return this;
        }

        /** Splits the checkpoint over this many files plus model.safetensors.index.json (1: a single file). */
        public Builder shards(int shards) {
            this.shards = shards;
            return this;
        }

        public Builder maxPositionEmbeddings(int maxPositionEmbeddings) {
            this.maxPositionEmbeddings = maxPositionEmbeddings;
            return this;
        }

        public Builder ropeScaling(RopeScalingConfig ropeScaling) {
            this.ropeScaling = ropeScaling;
            return this;
        }

        public CheckpointSynthesizer build() {
            if (plainDtype != null && plainDtype != DType.F16 && plainDtype != DType.BF16) {
                throw new IllegalArgumentException("unquantized checkpoints are F16 or BF16, not " + plainDtype);
            }
            if (bits != 4 && bits != 8) {
                throw new IllegalArgumentException("bits must be 4 or 8, not " + bits);
            }
            if (groupSize == 0 || groupSize < -1) {
                throw new IllegalArgumentException("group size must be -1 or positive, not " + groupSize);
            }
            int vocab = shape.vocabSize();
            if (tokenizer != null) {
                int pieces = SentencePieceModel.read(tokenizer).pieces().size();
                if (vocabSize != null && vocabSize != pieces) {
                    throw new IllegalArgumentException("vocabulary size " + vocabSize + " differs from the "
                            + pieces + " pieces of " + tokenizer);
                }
                vocab = pieces;
            } else if (vocabSize != null) {
                vocab = vocabSize;
            }
            int layers = numLayers != null ? numLayers : shape.numLayers();
            if (vocab <= 0 || layers <= 0) {
                throw new IllegalArgumentException("vocabulary size and layer count must be positive");
            }
            if (shards < 1 || shards > layers) {
                throw new IllegalArgumentException("shards must be between 1 and the layer count " + layers);
            }
            if (maxPositionEmbeddings <= 0) {
                throw new IllegalArgumentException("max position embeddings must be positive");
            }
            LlamaConfig config = new LlamaConfig(shape.hiddenSize(), shape.intermediateSize(), layers,
                    shape.numHeads(), shape.numKvHeads(), vocab, 1e-5, 10000.0, maxPositionEmbeddings, ropeScaling,
                    1, 2, false);
            QuantConfig quant = plainDtype != null ? null
                    : new QuantConfig(bits, groupSize, actOrder, sym, format == GptqFormat.GPTQ);
            return new CheckpointSynthesizer(this, config, quant);
        }
    }
}
