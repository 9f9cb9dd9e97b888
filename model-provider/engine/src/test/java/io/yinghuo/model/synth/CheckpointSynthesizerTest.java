package io.yinghuo.model.synth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.checkpoint.SafetensorsFile;
import io.yinghuo.model.checkpoint.StrictJson;
import io.yinghuo.model.checkpoint.TensorInfo;
import io.yinghuo.model.util.Fp16;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointSynthesizerTest {
    @TempDir
    Path dir;

    private static final String Q = "model.layers.1.self_attn.q_proj";

    @Test
    void autoGptqNamesDtypesShapesAndFileLayout() throws IOException {
        CheckpointSynthesizer.builder().bits(4).groupSize(32).rotaryInvFreq(true).build().write(dir);
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            assertEquals("pt", f.metadata().get("format"));
            assertEquals(2 * (7 * 5 + 2 + 1) + 3, f.names().size());
            check(f, Q + ".qweight", DType.I32, 16, 128);
            check(f, Q + ".qzeros", DType.I32, 4, 16);
            check(f, Q + ".scales", DType.F16, 4, 128);
            check(f, Q + ".g_idx", DType.I32, 128);
            check(f, Q + ".bias", DType.F16, 128);
            check(f, "model.layers.0.self_attn.k_proj.qweight", DType.I32, 16, 64);
            check(f, "model.layers.0.mlp.down_proj.qweight", DType.I32, 32, 128);
            check(f, "model.layers.0.mlp.down_proj.scales", DType.F16, 8, 128);
            check(f, "model.layers.0.mlp.up_proj.qzeros", DType.I32, 4, 32);
            check(f, "model.layers.0.self_attn.rotary_emb.inv_freq", DType.F32, 16);
            check(f, "model.embed_tokens.weight", DType.F16, 512, 128);
            check(f, "lm_head.weight", DType.F16, 512, 128);
            check(f, "model.norm.weight", DType.F16, 128);
            check(f, "model.layers.1.input_layernorm.weight", DType.F16, 128);
            // huggingface/safetensors' writer order: descending dtype size, then name
            List<TensorInfo> byOffset = new ArrayList<>();
            f.names().forEach(n -> byOffset.add(f.info(n)));
            byOffset.sort((a, b) -> Long.compare(a.fileOffset(), b.fileOffset()));
            for (int i = 1; i < byOffset.size(); i++) {
                TensorInfo a = byOffset.get(i - 1);
                TensorInfo b = byOffset.get(i);
                assertTrue(a.dtype().bytes() > b.dtype().bytes()
                        || a.dtype().bytes() == b.dtype().bytes() && a.name().compareTo(b.name()) < 0,
                        a.name() + " before " + b.name());
            }
            assertEquals(0, f.dataStart() % 8);
            ByteBuffer inv = f.buffer("model.layers.0.self_attn.rotary_emb.inv_freq");
            assertEquals(1f, inv.getFloat(0));
            assertEquals((float) Math.pow(10000, -2.0 / 32), inv.getFloat(4), 1e-7f);
        }
        ObjectNode config = StrictJson.readObject(dir.resolve("config.json"));
        assertEquals("llama", config.get("model_type").textValue());
        assertEquals(2, config.get("num_key_value_heads").intValue());
        assertEquals(32, config.get("quantization_config").get("group_size").intValue());
        ObjectNode quant = StrictJson.readObject(dir.resolve("quantize_config.json"));
        assertEquals(Set.of("bits", "group_size", "damp_percent", "desc_act", "static_groups", "sym",
                "true_sequential", "model_name_or_path", "model_file_base_name", "quant_method", "checkpoint_format"),
                fieldNames(quant));
        assertEquals("gptq", quant.get("checkpoint_format").textValue());
        assertEquals(2, StrictJson.readObject(dir.resolve("generation_config.json")).get("eos_token_id").intValue());
    }

    private static void check(SafetensorsFile f, String name, DType dtype, long... shape) {
        assertEquals(dtype, f.info(name).dtype(), name);
        assertArrayEquals(shape, f.info(name).shape(), name);
    }

    private static Set<String> fieldNames(ObjectNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void deterministicPerSeed() throws IOException {
        CheckpointSynthesizer.builder().actOrder(true).seed(3).build().write(dir.resolve("a"));
        CheckpointSynthesizer.builder().actOrder(true).seed(3).build().write(dir.resolve("b"));
        CheckpointSynthesizer.builder().actOrder(true).seed(4).build().write(dir.resolve("c"));
        byte[] a = Files.readAllBytes(dir.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/model.safetensors")));
        assertFalse(Arrays.equals(a, Files.readAllBytes(dir.resolve("c/model.safetensors"))));
    }

    /**
     * qweight / qzeros words recomputed here from the codes by AutoGPTQ's rule (code s of a word at bit offset
     * bits*s; qweight packed along K, qzeros along N), not by the synthesizer's packer.
     */
    @Test
    void packingMatchesTheSpec() throws IOException {
        for (int bits : new int[] {4, 8}) {
            for (GptqFormat format : GptqFormat.values()) {
                for (boolean sym : new boolean[] {true, false}) {
                    Path out = dir.resolve(bits + "-" + format + "-" + sym);
                    CheckpointSynthesizer synth = CheckpointSynthesizer.builder().bits(bits).groupSize(64)
                            .format(format).sym(sym).actOrder(true).build();
                    synth.write(out);
                    checkWords(synth.linear(Q), out.resolve("model.safetensors"), bits, format, sym);
                }
            }
        }
    }

    private static void checkWords(SyntheticLinear lin, Path file, int bits, GptqFormat format, boolean sym) {
        int per = 32 / bits;
        int mask = (1 << bits) - 1;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            IntBuffer qweight = f.buffer(Q + ".qweight").asIntBuffer();
            for (int r = 0; r < lin.inFeatures() / per; r++) {
                for (int n = 0; n < lin.outFeatures(); n++) {
                    int word = 0;
                    for (int s = 0; s < per; s++) {
                        word |= lin.code(r * per + s, n) << (bits * s);
                    }
                    assertEquals(word, qweight.get(r * lin.outFeatures() + n), "qweight[" + r + "," + n + "]");
                }
            }
            IntBuffer qzeros = f.buffer(Q + ".qzeros").asIntBuffer();
            int symWord = bits == 4 ? (format == GptqFormat.GPTQ ? 0x77777777 : 0x88888888)
                    : (format == GptqFormat.GPTQ ? 0x7F7F7F7F : 0x80808080);
            int cols = lin.outFeatures() / per;
            for (int g = 0; g < lin.groups(); g++) {
                for (int c = 0; c < cols; c++) {
                    int word = 0;
                    for (int s = 0; s < per; s++) {
                        int stored = lin.zero(g, c * per + s) - (format == GptqFormat.GPTQ ? 1 : 0);
                        assertTrue(stored >= 0 && stored <= mask, "stored zero fits in " + bits + " bits");
                        word |= stored << (bits * s);
                    }
                    if (sym) {
                        assertEquals(symWord, word);
                    }
                    assertEquals(word, qzeros.get(g * cols + c), "qzeros[" + g + "," + c + "]");
                }
            }
        }
    }

    /**
     * RTN per group as AutoGPTQ's quantizer.py does it (range widened to include 0; sym: zero (maxq+1)/2, asym:
     * scale (xmax-xmin)/maxq, zero round(-xmin/scale)), recomputed independently for a few groups and columns.
     */
    @Test
    void quantizationFollowsAutoGptq() {
        for (boolean sym : new boolean[] {true, false}) {
            for (int bits : new int[] {4, 8}) {
                CheckpointSynthesizer synth = CheckpointSynthesizer.builder().bits(bits).groupSize(32).sym(sym)
                        .actOrder(true).format(GptqFormat.GPTQ_V2).build();
                SyntheticLinear lin = synth.linear("model.layers.0.mlp.down_proj");
                int maxq = (1 << bits) - 1;
                int[] gIdx = lin.gIdx();
                for (int g = 0; g < lin.groups(); g += 3) {
                    for (int n = 0; n < lin.outFeatures(); n += 17) {
                        float xmin = 0;
                        float xmax = 0;
                        for (int k = 0; k < lin.inFeatures(); k++) {
                            if (gIdx[k] == g) {
                                xmin = Math.min(xmin, lin.original(k, n));
                                xmax = Math.max(xmax, lin.original(k, n));
                            }
                        }
                        if (sym) {
                            xmax = Math.max(Math.abs(xmin), xmax);
                            xmin = xmin < 0 ? -xmax : xmin;
                        }
                        float scale = (xmax - xmin) / maxq;
                        int zero = sym ? (maxq + 1) / 2 : Math.round(-xmin / scale);
                        assertEquals(Fp16.fromFloat(scale), lin.scaleBits(g, n));
                        assertEquals(zero, lin.zero(g, n));
                        float storedScale = Fp16.toFloat(lin.scaleBits(g, n));
                        for (int k = 0; k < lin.inFeatures(); k++) {
                            if (gIdx[k] == g) {
                                int code = (int) Math.max(0, Math.min(maxq,
                                        Math.rint(lin.original(k, n) / storedScale) + zero));
                                assertEquals(code, lin.code(k, n));
                                assertEquals(storedScale * (code - zero), lin.expectedWeight(k, n));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void actOrderGroupsArePermutedAndFull() {
        int[] gIdx = CheckpointSynthesizer.builder().groupSize(32).actOrder(true).build()
                .linear("model.layers.0.mlp.down_proj").gIdx();
        assertEquals(256, gIdx.length);
        int[] members = new int[8];
        boolean monotonic = true;
        for (int k = 0; k < gIdx.length; k++) {
            members[gIdx[k]]++;
            monotonic &= k == 0 || gIdx[k] >= gIdx[k - 1];
        }
        assertArrayEquals(new int[] {32, 32, 32, 32, 32, 32, 32, 32}, members);
        assertFalse(monotonic);
        int[] plain = CheckpointSynthesizer.builder().groupSize(32).build()
                .linear("model.layers.0.mlp.down_proj").gIdx();
        for (int k = 0; k < plain.length; k++) {
            assertEquals(k / 32, plain[k]);
        }
    }

    /**
     * The synthetic model's next-token distributions are peaked: logits = lm_head(final_norm(h)) for a unit-rms h,
     * over the full 55296-token vocabulary.
     */
    @Test
    void outputDistributionIsPeaked() {
        CheckpointSynthesizer synth = CheckpointSynthesizer.builder().vocabSize(55296).build();
        int h = synth.config().hiddenSize();
        int v = synth.config().vocabSize();
        SyntheticLinear embed = synth.linear("model.embed_tokens");
        SyntheticLinear head = synth.linear("lm_head");
        double sumEntropy = 0;
        double sumTop = 0;
        int samples = 4;
        for (int token = 0; token < samples; token++) {
            float[] x = new float[h];
            double ss = 0;
            for (int i = 0; i < h; i++) {
                x[i] = embed.expectedWeight(i, 1000 + token);
                ss += x[i] * x[i];
            }
            float inv = (float) (1 / Math.sqrt(ss / h + 1e-5));
            double[] logits = new double[v];
            double max = Double.NEGATIVE_INFINITY;
            for (int n = 0; n < v; n++) {
                double acc = 0;
                for (int i = 0; i < h; i++) {
                    acc += x[i] * inv * synth.normWeight("model.norm.weight", i) * head.expectedWeight(i, n);
                }
                logits[n] = acc;
                max = Math.max(max, acc);
            }
            double z = 0;
            for (double l : logits) {
                z += Math.exp(l - max);
            }
            double entropy = 0;
            for (double l : logits) {
                double p = Math.exp(l - max) / z;
                entropy -= p > 0 ? p * Math.log(p) : 0;
            }
            sumEntropy += entropy;
            sumTop += 1 / z;
        }
        double entropy = sumEntropy / samples;
        double top = sumTop / samples;
        System.out.printf("synthetic next-token distribution: mean entropy %.2f nats (uniform %.2f), mean top-1 p %.3f%n",
                entropy, Math.log(v), top);
        assertTrue(entropy < Math.log(v) - 4, "entropy " + entropy);
        assertTrue(top > 0.05, "top-1 probability " + top);
    }

    @Test
    void tokenizerSetsTheVocabularySize() throws IOException {
        Path tok = SentencePieceModelWriter.llama(List.of("▁a", "▁b")).write(dir.resolve("tokenizer.model"));
        CheckpointSynthesizer synth = CheckpointSynthesizer.builder().tokenizer(tok).build();
        assertEquals(3 + 256 + 2, synth.config().vocabSize());
        assertThrows(IllegalArgumentException.class,
                () -> CheckpointSynthesizer.builder().tokenizer(tok).vocabSize(5).build());
        Files.write(tok, new byte[] {0x0A, 9, 'x'});
        assertThrows(io.yinghuo.model.checkpoint.ModelLoadException.class,
                () -> CheckpointSynthesizer.builder().tokenizer(tok).build());
    }

    @Test
    void realTokenizerSetsTheVocabularyAndIsCopied() throws IOException {
        Path tok = sharedTokenizer();
        Assumptions.assumeTrue(tok != null, "shared/models/chinese-llama-2-tokenizer/tokenizer.model not found"
                + " beside the repository; skipping the real-tokenizer check");
        CheckpointSynthesizer synth = CheckpointSynthesizer.builder().tokenizer(tok).numLayers(1).build();
        assertEquals(55296, synth.config().vocabSize());
        synth.write(dir);
        assertArrayEquals(Files.readAllBytes(tok), Files.readAllBytes(dir.resolve("tokenizer.model")));
    }

    static Path sharedTokenizer() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/models/chinese-llama-2-tokenizer/tokenizer.model");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void builderRejectsBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> CheckpointSynthesizer.builder().bits(3).build());
        assertThrows(IllegalArgumentException.class, () -> CheckpointSynthesizer.builder().groupSize(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> CheckpointSynthesizer.builder().unquantized(DType.F32).build());
        assertThrows(IllegalArgumentException.class, () -> CheckpointSynthesizer.builder().shards(3).build());
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("70b"));
        assertEquals(Shape.B1_3, Shape.parse("1.3B"));
        assertNotEquals(Shape.B7.hiddenSize(), Shape.B13.hiddenSize());
    }
}
