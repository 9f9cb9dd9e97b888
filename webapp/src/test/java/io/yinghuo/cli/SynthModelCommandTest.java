package io.yinghuo.cli;

import io.yinghuo.model.tokenizer.PieceType;
import io.yinghuo.model.tokenizer.SentencePieceModel;
import io.yinghuo.model.weights.CheckpointLoader;
import io.yinghuo.model.weights.GptqLinear;
import io.yinghuo.model.weights.LlamaWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthModelCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesALoadableGptqModel() {
        Path out = dir.resolve("tiny");
        CliRun.Result r = CliRun.run("synth-model", "--shape", "tiny", "--bits", "8", "--group-size", "64", "--act-order", "true",
                "--sym", "false", "--format", "gptq_v2", "--seed", "7", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("8-bit GPTQ (gptq_v2, group 64, act-order, asym)"), r.out());
        try (LlamaWeights w = CheckpointLoader.load(out)) {
            GptqLinear q = assertInstanceOf(GptqLinear.class, w.layers().get(0).qProj());
            assertEquals(8, q.bits());
            assertEquals(64, q.groupSize());
            assertTrue(q.actOrder());
            assertFalse(q.zerosStoredMinusOne());
        }
    }

    @Test
    void writesAnUnquantizedModel() {
        Path out = dir.resolve("bf16");
        CliRun.Result r = CliRun.run("synth-model", "--shape", "tiny", "--dtype", "bf16", "--shards", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("model.safetensors.index.json")));
        try (LlamaWeights w = CheckpointLoader.load(out)) {
            assertNull(w.quant());
        }
    }

    @Test
    void writesALoadableTokenizerByDefault() {
        Path out = dir.resolve("default-tokenizer");
        CliRun.Result r = CliRun.run("synth-model", "--shape", "tiny", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        SentencePieceModel tokenizer = SentencePieceModel.read(out.resolve("tokenizer.model"));
        try (LlamaWeights w = CheckpointLoader.load(out)) {
            assertEquals(w.config().vocabSize(), tokenizer.pieces().size());
        }
        // the folder is one serve (and the other model commands) accept: they load it with its tokenizer
        r = CliRun.run("你好 world\n".getBytes(StandardCharsets.UTF_8), "tokenize", "--model", out.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().isBlank(), r.out());
    }

    @Test
    void theBuiltInTokenizerIsPaddedToTheShapesVocabulary() {
        byte[] bytes = SynthModelCommand.builtInTokenizer(55296).toByteArray();
        SentencePieceModel tokenizer = SentencePieceModel.parse(bytes, "built-in");
        assertEquals(55296, tokenizer.pieces().size());
        assertEquals(PieceType.UNUSED, tokenizer.pieces().get(55295).type());
    }

    @Test
    void badOptionsGiveOneClearLine() {
        CliRun.Result r = CliRun.run("synth-model", "--shape", "tiny", "--bits", "3", "--out", dir.resolve("x").toString());
        assertEquals(1, r.code());
        assertEquals("yinghuo synth-model: bits must be 4 or 8, not 3", r.err().strip());
        r = CliRun.run("synth-model", "--shape", "70b", "--out", dir.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown model shape \"70b\""), r.err());
        r = CliRun.run("synth-model", "--shape", "tiny", "--dtype", "fp8", "--out", dir.resolve("x").toString());
        assertTrue(r.err().contains("--dtype must be fp16 or bf16"), r.err());
    }
}
