package io.yinghuo.model.config;

import io.yinghuo.model.checkpoint.ModelLoadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantConfigReaderTest {
    @TempDir
    Path dir;

    /** Writes one settings file, removing the others so that the lookup order does not hide it. */
    private Optional<QuantConfig> read(String file, String json) throws IOException {
        for (String f : new String[] {"quantize_config.json", "quant_config.json", "config.json"}) {
            Files.deleteIfExists(dir.resolve(f));
        }
        Files.writeString(dir.resolve(file), json);
        return QuantConfigReader.read(dir);
    }

    private String error(String file, String json) {
        return assertThrows(ModelLoadException.class, () -> read(file, json)).getMessage();
    }

    @Test
    void noSettingsMeansUnquantized() throws IOException {
        assertEquals(Optional.empty(), QuantConfigReader.read(dir));
        assertEquals(Optional.empty(), read("config.json", "{\"model_type\":\"llama\",\"quantization_config\":null}"));
    }

    @Test
    void autoGptqQuantizeConfig() throws IOException {
        Optional<QuantConfig> q = read("quantize_config.json", """
                {"bits": 4, "group_size": 128, "damp_percent": 0.1, "desc_act": true, "static_groups": false,
                 "sym": true, "true_sequential": true, "model_name_or_path": null,
                 "model_file_base_name": "model", "quant_method": "gptq", "checkpoint_format": "gptq"}""");
        assertEquals(Optional.of(new QuantConfig(4, 128, true, true, true)), q);
        assertEquals(Optional.of("model"), QuantConfigReader.modelFileBaseName(dir));
    }

    @Test
    void lookupOrderQuantizeConfigThenQuantConfigThenConfigJson() throws IOException {
        assertEquals(new QuantConfig(8, -1, false, false, true), read("config.json",
                "{\"quantization_config\":{\"bits\":8,\"desc_act\":false,\"sym\":false,\"quant_method\":\"gptq\"}}")
                .orElseThrow());
        Files.writeString(dir.resolve("quant_config.json"), "{\"w_bit\":4,\"q_group_size\":64}");
        assertEquals(new QuantConfig(4, 64, true, true, true), QuantConfigReader.read(dir).orElseThrow());
        Files.writeString(dir.resolve("quantize_config.json"), "{\"bits\":8,\"group_size\":32,\"format\":\"gptq_v2\"}");
        assertEquals(new QuantConfig(8, 32, true, true, false), QuantConfigReader.read(dir).orElseThrow());
    }

    @Test
    void defaultsFollowAutoGptq() throws IOException {
        // sym missing => true, desc_act missing => true, group_size missing => -1, format missing => v1
        assertEquals(new QuantConfig(4, -1, true, true, true), read("quantize_config.json", "{\"bits\":4}")
                .orElseThrow());
    }

    @Test
    void refusesMarlin() {
        assertTrue(error("quantize_config.json", "{\"bits\":4,\"group_size\":128,\"is_marlin_format\":true}")
                .contains("Marlin"));
        assertTrue(error("quantize_config.json", "{\"bits\":4,\"checkpoint_format\":\"marlin\"}").contains("Marlin"));
        assertTrue(error("quantize_config.json", "{\"bits\":4,\"quant_method\":\"marlin\"}").contains("Marlin"));
    }

    @Test
    void refusesAwq() {
        String m = error("quant_config.json", "{\"zero_point\":true,\"q_group_size\":128,\"w_bit\":4,"
                + "\"version\":\"GEMM\"}");
        assertTrue(m.contains("quant_config.json") && m.contains("AWQ"), m);
        m = error("config.json", "{\"quantization_config\":{\"quant_method\":\"awq\",\"bits\":4}}");
        assertTrue(m.contains("config.json (quantization_config)") && m.contains("AWQ"), m);
        assertTrue(error("quantize_config.json", "{\"bits\":4,\"checkpoint_format\":\"gemm\"}").contains("AWQ"));
    }

    @Test
    void refusesOtherBitsMethodsAndFormats() {
        String m = error("quantize_config.json", "{\"bits\":3,\"group_size\":128}");
        assertTrue(m.contains("quantize_config.json") && m.contains("3-bit") && m.contains("only 4 and 8"), m);
        assertTrue(error("quantize_config.json", "{\"bits\":2}").contains("2-bit"));
        assertTrue(error("config.json", "{\"quantization_config\":{\"quant_method\":\"bitsandbytes\"}}")
                .contains("quant_method \"bitsandbytes\""));
        assertTrue(error("quantize_config.json", "{\"bits\":4,\"checkpoint_format\":\"bitblas\"}")
                .contains("\"bitblas\""));
        assertTrue(error("quantize_config.json", "{\"bits\":4,\"group_size\":0}").contains("group_size"));
        assertTrue(error("quantize_config.json", "{\"group_size\":128}").contains("missing required field"));
        assertTrue(error("quantize_config.json", "{\"bits\":4,\"pack_dtype\":\"int8\"}").contains("pack_dtype"));
    }
}
