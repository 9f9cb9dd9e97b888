package io.yinghuo.model.engine.cuda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What scripts/cuda-perf.sh reads from BundleSynth and BundleBench, on the CPU backend (the same code path as on a
 * GPU but for the device): a model folder written once, measured in place, with the given bandwidth's share and a
 * long prefill on the same load, and nulls where no bandwidth was given.
 */
class BundleBenchTest {

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void synthesize() throws Exception {
        model = dir.resolve("tiny");
        BundleSynth.main(new String[] {"tiny", model.toString()});
        assertTrue(Files.exists(model.resolve("model.safetensors")), "the checkpoint is written");
    }

    private static JsonNode bench(String... args) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            BundleBench.main(args);
        } finally {
            System.setOut(out);
        }
        return new ObjectMapper().readTree(buffer.toString(StandardCharsets.UTF_8));
    }

    @Test
    void measuresAModelFolderWithTheGivenBandwidthAndALongPrefill() throws Exception {
        JsonNode json = bench(model.toString(), "cpu", "8", "4", "--prefill-tokens", "32",
                "--bandwidth-bytes-per-second", "2.5e10");
        assertEquals(model.toString(), json.get("model").asText());
        assertEquals(8, json.get("prompt_tokens").asInt());
        assertEquals(4, json.get("decode_tokens").asInt());
        assertTrue(json.get("decode_tokens_per_second").asDouble() > 0);
        assertEquals(2.5e10, json.get("bandwidth_bytes_per_second").asDouble());
        assertEquals(json.get("achieved_bytes_per_second").asDouble() / 2.5e10,
                json.get("fraction_of_bandwidth").asDouble(), 1e-15);
        assertEquals(32, json.get("long_prefill_tokens").asInt());
        assertTrue(json.get("long_prefill_tokens_per_second").asDouble() > 0);
        assertTrue(Files.exists(model.resolve("model.safetensors")), "a given folder is not deleted");
    }

    @Test
    void withoutOptionsTheirFieldsAreNull() throws Exception {
        JsonNode json = bench(model.toString(), "cpu", "4", "2");
        assertTrue(json.get("bandwidth_bytes_per_second").isNull());
        assertTrue(json.get("fraction_of_bandwidth").isNull());
        assertTrue(json.get("long_prefill_tokens").isNull());
        assertTrue(json.get("long_prefill_tokens_per_second").isNull());
        assertTrue(json.get("bytes_per_token").asLong() > 0);
    }
}
