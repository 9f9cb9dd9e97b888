package io.yinghuo.model.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which file of a model directory is the checkpoint: {@code model.safetensors}, the shards listed in
 * {@code model.safetensors.index.json} (transformers' sharded-checkpoint index, {@code weight_map}), or AutoGPTQ's
 * {@code <model_file_base_name>.safetensors}.
 */
class CheckpointsTest {
    @TempDir
    Path dir;

    /** A safetensors file holding one F32 tensor of shape [1], value 1. */
    static void tensorFile(Path file, String tensor) throws IOException {
        f32Tensors(file, Map.of(tensor, new float[] {1f}));
    }

    /**
     * A safetensors file of F32 vectors, in map order, built byte by byte (the writer lives in the test kit, which
     * depends on this module): the 8-byte header length, the JSON header padded with spaces to a multiple of 8
     * bytes, then the little-endian floats. Names are written unescaped: plain ASCII without quotes or backslashes.
     */
    static Path f32Tensors(Path file, Map<String, float[]> tensors) throws IOException {
        StringBuilder header = new StringBuilder("{");
        ByteBuffer data = ByteBuffer.allocate(4 * tensors.values().stream().mapToInt(v -> v.length).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, float[]> tensor : tensors.entrySet()) {
            int begin = data.position();
            for (float v : tensor.getValue()) {
                data.putFloat(v);
            }
            header.append(header.length() > 1 ? "," : "").append('"').append(tensor.getKey())
                    .append("\":{\"dtype\":\"F32\",\"shape\":[").append(tensor.getValue().length)
                    .append("],\"data_offsets\":[").append(begin).append(',').append(data.position()).append("]}");
        }
        header.append('}');
        while (header.length() % 8 != 0) {
            header.append(' ');
        }
        return SafetensorsFileTest.raw(file, header.toString(), data.array());
    }

    private String located() {
        return Checkpoints.locate(dir, null).getFileName().toString();
    }

    @Test
    void preferenceOrder() throws IOException {
        tensorFile(dir.resolve("other.safetensors"), "x");
        assertEquals("other.safetensors", located());
        tensorFile(dir.resolve("gptq_model-4bit-128g.safetensors"), "x");
        assertEquals("gptq_model-4bit-128g.safetensors", located());
        tensorFile(dir.resolve("model.safetensors"), "x");
        assertEquals("model.safetensors", located());
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"metadata\":{},\"weight_map\":{\"x\":\"model.safetensors\"}}");
        assertEquals("model.safetensors.index.json", located());
        try (TensorSource source = Checkpoints.open(dir)) {
            assertInstanceOf(ShardedTensorSource.class, source);
            assertEquals(1f, source.buffer("x").getFloat(0));
        }
    }

    @Test
    void modelFileBaseNameFromQuantizeConfig() throws IOException {
        tensorFile(dir.resolve("a.safetensors"), "x");
        tensorFile(dir.resolve("chosen.safetensors"), "y");
        Files.writeString(dir.resolve("quantize_config.json"),
                "{\"bits\":4,\"group_size\":128,\"model_file_base_name\":\"chosen\"}");
        try (TensorSource source = Checkpoints.open(dir)) {
            assertTrue(source.contains("y"));
        }
    }

    @Test
    void severalCandidatesAreAmbiguous() throws IOException {
        tensorFile(dir.resolve("a.safetensors"), "x");
        tensorFile(dir.resolve("b.safetensors"), "x");
        String m = assertThrows(ModelLoadException.class, () -> Checkpoints.open(dir)).getMessage();
        assertTrue(m.contains("a.safetensors, b.safetensors"), m);
    }

    @Test
    void onlyPytorchPicklesAreRefusedWithAdvice() throws IOException {
        Files.write(dir.resolve("pytorch_model-00001-of-00002.bin"), new byte[10]);
        Files.write(dir.resolve("pytorch_model-00002-of-00002.bin"), new byte[10]);
        String m = assertThrows(ModelLoadException.class, () -> Checkpoints.open(dir)).getMessage();
        assertTrue(m.contains("pytorch_model-00001-of-00002.bin") && m.contains("safetensors")
                && m.contains("safe_serialization=True"), m);
    }

    @Test
    void nothingFoundListsWhatWasLookedFor() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}");
        String m = assertThrows(ModelLoadException.class, () -> Checkpoints.open(dir)).getMessage();
        assertTrue(m.contains("no model weights found") && m.contains("model.safetensors.index.json")
                && m.contains("model.safetensors") && m.contains("gptq_model-*.safetensors"), m);
    }

    @Test
    void missingOrWrongDirectory() throws IOException {
        String m = assertThrows(ModelLoadException.class, () -> Checkpoints.open(dir.resolve("nope"))).getMessage();
        assertTrue(m.contains("nope") && m.contains("does not exist"), m);
        Path file = Files.writeString(dir.resolve("f"), "x");
        m = assertThrows(ModelLoadException.class, () -> Checkpoints.open(file)).getMessage();
        assertTrue(m.contains("not a directory"), m);
    }
}
