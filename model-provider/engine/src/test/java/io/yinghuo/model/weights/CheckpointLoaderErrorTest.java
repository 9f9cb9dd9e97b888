package io.yinghuo.model.weights;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.checkpoint.SafetensorsFile;
import io.yinghuo.model.checkpoint.StrictJson;
import io.yinghuo.model.checkpoint.TensorInfo;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.SafetensorsWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken model directories give one clear message naming the file, the tensor or field, and what was expected. */
class CheckpointLoaderErrorTest {
    @TempDir
    Path dir;

    @BeforeEach
    void writeTinyModel() throws IOException {
        CheckpointSynthesizer.builder().groupSize(64).actOrder(true).build().write(dir);
    }

    private String loadError() {
        String m = assertThrows(ModelLoadException.class, () -> CheckpointLoader.load(dir).close()).getMessage();
        assertFalse(m.contains("Exception"), m);
        return m;
    }

    /** A replacement tensor for {@link #rewrite}. */
    record Replacement(DType dtype, long[] shape, byte[] data) {
    }

    interface Edit {
        /** null drops the tensor; the argument's own bytes keep it unchanged. */
        Replacement apply(TensorInfo info, byte[] data);
    }

    private void rewrite(Edit edit) throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            for (String name : in.names()) {
                ByteBuffer b = in.buffer(name);
                byte[] data = new byte[b.remaining()];
                b.get(data);
                Replacement r = edit.apply(in.info(name), data);
                if (r != null) {
                    w.add(name, r.dtype(), r.shape(), out -> out.putBytes(r.data()));
                }
            }
        }
        Path tmp = dir.resolve("new.safetensors");
        w.write(tmp);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private void editJson(String file, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode json = StrictJson.readObject(dir.resolve(file));
        edit.accept(json);
        Files.writeString(dir.resolve(file), json.toString());
    }

    @Test
    void loadsBeforeAnyEdit() {
        CheckpointLoader.load(dir).close();
    }

    @Test
    void missingDirectoryAndConfig() throws IOException {
        String m = assertThrows(ModelLoadException.class, () -> CheckpointLoader.load(dir.resolve("absent")))
                .getMessage();
        assertTrue(m.contains("absent") && m.contains("model directory does not exist"), m);
        Files.delete(dir.resolve("config.json"));
        m = loadError();
        assertTrue(m.contains("config.json") && m.contains("no such file"), m);
    }

    @Test
    void missingTensor() throws IOException {
        rewrite((info, data) -> info.name().equals("model.layers.1.mlp.up_proj.scales") ? null
                : new Replacement(info.dtype(), info.shape(), data));
        String m = loadError();
        assertTrue(m.contains("missing tensor model.layers.1.mlp.up_proj.scales") && m.contains("expected F16 [2, 256]"), m);
    }

    @Test
    void wrongDtype() throws IOException {
        String name = "model.layers.0.self_attn.k_proj.scales";
        rewrite((info, data) -> info.name().equals(name)
                ? new Replacement(DType.BF16, info.shape(), data) : new Replacement(info.dtype(), info.shape(), data));
        String m = loadError();
        assertTrue(m.contains("model.safetensors: tensor " + name + " has dtype BF16, expected F16"), m);
    }

    @Test
    void wrongShape() throws IOException {
        String name = "model.layers.0.self_attn.q_proj.qweight";
        // same bytes, transposed shape [128, 16] instead of [16, 128]
        rewrite((info, data) -> info.name().equals(name)
                ? new Replacement(DType.I32, new long[] {128, 16}, data)
                : new Replacement(info.dtype(), info.shape(), data));
        String m = loadError();
        assertTrue(m.contains("tensor " + name + " has shape [128, 16], expected [16, 128]"), m);
        assertTrue(m.contains("4-bit, group size 64, K=128, N=128"), m);
    }

    @Test
    void gIdxOutOfRange() throws IOException {
        String name = "model.layers.1.self_attn.o_proj.g_idx";
        rewrite((info, data) -> {
            if (info.name().equals(name)) {
                ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4 * 3, 2);
            }
            return new Replacement(info.dtype(), info.shape(), data);
        });
        String m = loadError();
        assertTrue(m.contains(name + "[3] = 2 is not a group index in 0..1"), m);
    }

    @Test
    void configDisagreesWithCheckpoint() throws IOException {
        editJson("config.json", c -> c.put("vocab_size", 600));
        String m = loadError();
        assertTrue(m.contains("tensor model.embed_tokens.weight has shape [512, 128], expected [600, 128]"), m);
        editJson("config.json", c -> {
            c.put("vocab_size", 512);
            c.put("num_hidden_layers", 1);
        });
        m = loadError();
        assertTrue(m.contains("tensors for layer 1") && m.contains("num_hidden_layers = 1"), m);
    }

    @Test
    void gptqTensorsWithoutQuantConfig() throws IOException {
        Files.delete(dir.resolve("quantize_config.json"));
        editJson("config.json", c -> c.remove("quantization_config"));
        String m = loadError();
        assertTrue(m.contains("qweight is GPTQ-quantized") && m.contains("quantize_config.json"), m);
    }

    @Test
    void strayQuantConfigOnAPlainCheckpoint() throws IOException {
        Files.writeString(dir.resolve("q.json"), Files.readString(dir.resolve("quantize_config.json")));
        CheckpointSynthesizer.builder().unquantized(DType.F16).build().write(dir);
        Files.move(dir.resolve("q.json"), dir.resolve("quantize_config.json"));
        String m = loadError();
        assertTrue(m.contains("no quantized layers") || m.contains("qweight"), m);
    }

    @Test
    void unsupportedQuantizations() throws IOException {
        editJson("quantize_config.json", q -> q.put("bits", 3));
        assertTrue(loadError().contains("3-bit GPTQ is not supported"));
        editJson("quantize_config.json", q -> {
            q.put("bits", 4);
            q.put("checkpoint_format", "marlin");
        });
        assertTrue(loadError().contains("Marlin"));
        editJson("quantize_config.json", q -> {
            q.remove("checkpoint_format");
            q.put("is_marlin_format", true);
        });
        assertTrue(loadError().contains("Marlin"));
        editJson("quantize_config.json", q -> {
            q.remove("is_marlin_format");
            q.put("quant_method", "awq");
        });
        assertTrue(loadError().contains("AWQ"));
    }

    @Test
    void otherArchitecture() throws IOException {
        editJson("config.json", c -> {
            c.put("model_type", "qwen2");
            c.putArray("architectures").add("Qwen2ForCausalLM");
        });
        String m = loadError();
        assertTrue(m.contains("config.json") && m.contains("qwen2") && m.contains("not supported"), m);
    }

    @Test
    void onlyPytorchBin() throws IOException {
        Files.delete(dir.resolve("model.safetensors"));
        Files.write(dir.resolve("pytorch_model.bin"), new byte[64]);
        String m = loadError();
        assertTrue(m.contains("pytorch_model.bin") && m.contains("safetensors only"), m);
    }

    @Test
    void truncatedCheckpoint() throws IOException {
        Path file = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 100));
        String m = loadError();
        assertTrue(m.contains("model.safetensors") && m.contains("truncated"), m);
    }

    @Test
    void tiedEmbeddingsShareTheEmbeddingMatrix() throws IOException {
        rewrite((info, data) -> info.name().equals("lm_head.weight") ? null
                : new Replacement(info.dtype(), info.shape(), data));
        assertTrue(loadError().contains("missing tensor lm_head.weight"));
        editJson("config.json", c -> c.put("tie_word_embeddings", true));
        try (LlamaWeights w = CheckpointLoader.load(dir)) {
            assertSame(w.embeddings(), ((DenseLinear) w.lmHead()).weightMatrix());
            assertEquals(w.embeddings().get(7, 3), w.lmHead().weight(3, 7));
        }
    }
}
