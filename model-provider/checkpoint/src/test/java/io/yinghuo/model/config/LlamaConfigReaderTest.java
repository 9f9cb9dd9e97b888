package io.yinghuo.model.config;

import io.yinghuo.model.checkpoint.ModelLoadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LlamaConfigReaderTest {
    @TempDir
    Path dir;

    /** hfl/chinese-alpaca-2-7b-16k style: 16K context by linear position interpolation, factor 4. */
    static final String ALPACA_16K = """
            {"architectures": ["LlamaForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
             "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 11008,
             "max_position_embeddings": 16384, "model_type": "llama", "num_attention_heads": 32,
             "num_hidden_layers": 32, "num_key_value_heads": 32, "pad_token_id": 0, "pretraining_tp": 1,
             "rms_norm_eps": 1e-05, "rope_scaling": {"factor": 4.0, "type": "linear"}, "tie_word_embeddings": false,
             "torch_dtype": "float16", "transformers_version": "4.31.0", "use_cache": true, "vocab_size": 55296}
            """;

    private LlamaConfig read(String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
        return LlamaConfigReader.read(dir);
    }

    private String error(String json) {
        return assertThrows(ModelLoadException.class, () -> read(json)).getMessage();
    }

    @Test
    void readsAChineseAlpaca16kConfig() throws IOException {
        LlamaConfig c = read(ALPACA_16K);
        assertEquals(new LlamaConfig(4096, 11008, 32, 32, 32, 55296, 1e-5, 10000.0, 16384,
                new RopeScalingConfig("linear", 4.0, 0), 1, 2, false), c);
        assertEquals(128, c.headDim());
    }

    @Test
    void transformersDefaultsForAbsentFields() throws IOException {
        LlamaConfig c = read("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 172, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "vocab_size": 100}""");
        assertEquals(4, c.numKvHeads());
        assertEquals(1e-6, c.rmsNormEps());
        assertEquals(10000.0, c.ropeTheta());
        assertEquals(2048, c.maxPositionEmbeddings());
        assertEquals(1, c.bosTokenId());
        assertEquals(2, c.eosTokenId());
        assertFalse(c.tieWordEmbeddings());
        assertNull(c.ropeScaling());
    }

    @Test
    void ropeScalingVariants() throws IOException {
        String base = "{\"architectures\":[\"LlamaForCausalLM\"],\"hidden_size\":4096,\"intermediate_size\":11008,"
                + "\"num_hidden_layers\":32,\"num_attention_heads\":32,\"vocab_size\":55296,";
        assertEquals(new RopeScalingConfig("yarn", 16.0, 4096), read(base + "\"rope_scaling\": {\"factor\": 16.0,"
                + " \"finetuned\": true, \"original_max_position_embeddings\": 4096, \"type\": \"yarn\"}}")
                .ropeScaling());
        assertEquals(new RopeScalingConfig("dynamic", 2.0, 0),
                read(base + "\"rope_scaling\": {\"rope_type\": \"dynamic\", \"factor\": 2}}").ropeScaling());
        assertNull(read(base + "\"rope_scaling\": {\"rope_type\": \"default\"}}").ropeScaling());
        assertNull(read(base + "\"rope_scaling\": null}").ropeScaling());
        assertTrue(error(base + "\"rope_scaling\": {\"type\": \"longrope\", \"factor\": 2}}").contains("longrope"));
        assertTrue(error(base + "\"rope_scaling\": {\"type\": \"linear\"}}").contains("no \"factor\""));
        assertTrue(error(base + "\"rope_scaling\": {\"factor\": 2}}").contains("neither \"type\" nor \"rope_type\""));
    }

    @Test
    void eosListTakesTheFirst() throws IOException {
        assertEquals(7, read("{\"model_type\":\"llama\",\"hidden_size\":8,\"intermediate_size\":8,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":2,\"vocab_size\":10,\"eos_token_id\":[7,8]}")
                .eosTokenId());
    }

    @Test
    void refusesOtherArchitectures() {
        String m = error(ALPACA_16K.replace("\"model_type\": \"llama\"", "\"model_type\": \"mistral\""));
        assertTrue(m.contains("config.json") && m.contains("mistral") && m.contains("LLaMA"), m);
        m = error(ALPACA_16K.replace("LlamaForCausalLM", "BaichuanForCausalLM"));
        assertTrue(m.contains("BaichuanForCausalLM") && m.contains("not supported"), m);
        m = error(ALPACA_16K.replace("\"silu\"", "\"gelu\""));
        assertTrue(m.contains("hidden_act \"gelu\""), m);
        m = error("{\"hidden_size\":8}");
        assertTrue(m.contains("neither \"model_type\" nor \"architectures\""), m);
    }

    @Test
    void missingAndInconsistentFields() {
        String m = error(ALPACA_16K.replace("\"vocab_size\": 55296", "\"vocab\": 55296"));
        assertTrue(m.contains("missing required field \"vocab_size\""), m);
        m = error(ALPACA_16K.replace("\"num_key_value_heads\": 32", "\"num_key_value_heads\": 5"));
        assertTrue(m.contains("not a multiple of num_key_value_heads 5"), m);
        m = error(ALPACA_16K.replace("\"hidden_size\": 4096", "\"hidden_size\": 4100"));
        assertTrue(m.contains("hidden_size 4100 is not a multiple of num_attention_heads 32"), m);
        m = error(ALPACA_16K.replace("\"num_hidden_layers\": 32", "\"num_hidden_layers\": 32.5"));
        assertTrue(m.contains("must be an integer"), m);
    }

    @Test
    void duplicateKeysAndMissingFile() throws IOException {
        String m = error("{\"model_type\":\"llama\",\"hidden_size\":8,\"hidden_size\":16}");
        assertTrue(m.contains("config.json") && m.contains("Duplicate field 'hidden_size'"), m);
        Files.delete(dir.resolve("config.json"));
        m = assertThrows(ModelLoadException.class, () -> LlamaConfigReader.read(dir)).getMessage();
        assertTrue(m.contains("config.json") && m.contains("no such file"), m);
    }
}
