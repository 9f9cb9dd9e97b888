package io.yinghuo.model.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardedTensorSourceTest {
    @TempDir
    Path dir;

    private Path index(String weightMap) throws IOException {
        return Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"metadata\":{\"total_size\":12},\"weight_map\":" + weightMap + "}");
    }

    @Test
    void followsTheWeightMap() throws IOException {
        Map<String, float[]> part1 = new LinkedHashMap<>();
        part1.put("a", new float[] {1});
        part1.put("unlisted", new float[] {9});
        CheckpointsTest.f32Tensors(dir.resolve("part-1.safetensors"), part1);
        CheckpointsTest.f32Tensors(dir.resolve("odd name 2.safetensors"), Map.of("b", new float[] {2, 3}));
        try (ShardedTensorSource s = ShardedTensorSource.open(
                index("{\"a\":\"part-1.safetensors\",\"b\":\"odd name 2.safetensors\"}"))) {
            assertEquals(Set.of("a", "b"), s.names(), "only weight_map tensors are visible");
            assertEquals(2, s.shards().size());
            assertEquals(1f, s.buffer("a").getFloat(0));
            assertEquals(3f, s.buffer("b").getFloat(4));
            assertEquals(dir.resolve("odd name 2.safetensors").toAbsolutePath(), s.info("b").file().toAbsolutePath());
            assertThrows(ModelLoadException.class, () -> s.info("unlisted"));
        }
    }

    @Test
    void missingShardFile() throws IOException {
        String m = assertThrows(ModelLoadException.class,
                () -> ShardedTensorSource.open(index("{\"a\":\"model-00002-of-00002.safetensors\"}"))).getMessage();
        assertTrue(m.contains("model.safetensors.index.json") && m.contains("tensor a")
                && m.contains("model-00002-of-00002.safetensors") && m.contains("does not exist"), m);
    }

    @Test
    void tensorNotInTheNamedShard() throws IOException {
        CheckpointsTest.tensorFile(dir.resolve("s1.safetensors"), "a");
        String m = assertThrows(ModelLoadException.class,
                () -> ShardedTensorSource.open(index("{\"a\":\"s1.safetensors\",\"b\":\"s1.safetensors\"}")))
                .getMessage();
        assertTrue(m.contains("tensor b") && m.contains("s1.safetensors") && m.contains("no such tensor"), m);
    }

    @Test
    void malformedIndex() throws IOException {
        assertTrue(assertThrows(ModelLoadException.class, () -> ShardedTensorSource.open(index("[]")))
                .getMessage().contains("weight_map"));
        assertTrue(assertThrows(ModelLoadException.class, () -> ShardedTensorSource.open(index("{\"a\":\"../x\"}")))
                .getMessage().contains("outside the model directory"));
        Path dup = Files.writeString(dir.resolve("dup.json"), "{\"weight_map\":{\"a\":\"x\",\"a\":\"y\"}}");
        assertTrue(assertThrows(ModelLoadException.class, () -> ShardedTensorSource.open(dup))
                .getMessage().contains("Duplicate field"));
    }
}
