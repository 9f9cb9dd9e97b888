package io.yinghuo.model.weights;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.config.QuantConfig;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.GptqFormat;
import io.yinghuo.model.synth.Shape;
import io.yinghuo.model.synth.SyntheticLinear;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Synthesizer -> files -> loader, for every GPTQ variant we accept and for plain fp16/bf16 checkpoints. */
class CheckpointLoaderRoundTripTest {
    private static final String[] LINEARS = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
            "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"};

    @TempDir
    Path dir;

    static Stream<Arguments> gptqVariants() {
        List<Arguments> out = new ArrayList<>();
        for (int bits : new int[] {4, 8}) {
            for (int group : new int[] {32, 64, 128, -1}) {
                for (boolean actOrder : new boolean[] {false, true}) {
                    for (boolean sym : new boolean[] {true, false}) {
                        for (GptqFormat format : GptqFormat.values()) {
                            out.add(Arguments.of(bits, group, actOrder, sym, format));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}-bit g{1} act-order {2} sym {3} {4}")
    @MethodSource("gptqVariants")
    void gptqRoundTrip(int bits, int group, boolean actOrder, boolean sym, GptqFormat format) throws IOException {
        CheckpointSynthesizer synth = CheckpointSynthesizer.builder().shape(Shape.TINY).bits(bits).groupSize(group)
                .actOrder(actOrder).sym(sym).format(format).seed(bits * 1000L + group).rotaryInvFreq(true).build();
        synth.write(dir);
        try (LlamaWeights w = CheckpointLoader.load(dir)) {
            assertEquals(synth.config(), w.config());
            assertEquals(new QuantConfig(bits, group, actOrder, sym, format == GptqFormat.GPTQ), w.quant());
            for (int l = 0; l < synth.config().numLayers(); l++) {
                LayerWeights layer = w.layers().get(l);
                Linear[] loaded = {layer.qProj(), layer.kProj(), layer.vProj(), layer.oProj(), layer.gateProj(),
                        layer.upProj(), layer.downProj()};
                for (int i = 0; i < LINEARS.length; i++) {
                    SyntheticLinear expected = synth.linear("model.layers." + l + "." + LINEARS[i]);
                    GptqLinear actual = assertInstanceOf(GptqLinear.class, loaded[i]);
                    assertEquals(bits, actual.bits());
                    assertEquals(group == -1 ? expected.inFeatures() : group, actual.groupSize());
                    assertArrayEquals(expected.gIdx(), actual.gIdx());
                    assertEquals(actOrder && actual.groups() > 1, actual.actOrder());
                    assertNull(actual.biasValues(), "zero biases are dropped");
                    assertSameWeights(expected, actual);
                    if (sym) {
                        for (int g = 0; g < actual.groups(); g++) {
                            assertEquals(1 << (bits - 1), actual.zero(g, 0), "sym zero (maxq+1)/2");
                        }
                    }
                }
            }
            checkDense(synth, w);
        }
    }

    @ParameterizedTest
    @MethodSource("plainDtypes")
    void unquantizedRoundTrip(DType dtype) throws IOException {
        CheckpointSynthesizer synth = CheckpointSynthesizer.builder().shape(Shape.TINY).unquantized(dtype).seed(5)
                .build();
        synth.write(dir);
        try (LlamaWeights w = CheckpointLoader.load(dir)) {
            assertNull(w.quant());
            for (int l = 0; l < synth.config().numLayers(); l++) {
                LayerWeights layer = w.layers().get(l);
                Linear[] loaded = {layer.qProj(), layer.kProj(), layer.vProj(), layer.oProj(), layer.gateProj(),
                        layer.upProj(), layer.downProj()};
                for (int i = 0; i < LINEARS.length; i++) {
                    DenseLinear actual = assertInstanceOf(DenseLinear.class, loaded[i]);
                    assertEquals(dtype, actual.weightMatrix().dtype());
                    assertSameWeights(synth.linear("model.layers." + l + "." + LINEARS[i]), actual);
                }
            }
            checkDense(synth, w);
        }
    }

    static Stream<DType> plainDtypes() {
        return Stream.of(DType.F16, DType.BF16);
    }

    /** The quantized and the plain checkpoint of one seed are the same model up to quantization error. */
    @Test
    void quantizedApproximatesThePlainModelOfTheSameSeed() throws IOException {
        CheckpointSynthesizer plain = CheckpointSynthesizer.builder().unquantized(DType.F16).seed(9).build();
        CheckpointSynthesizer gptq = CheckpointSynthesizer.builder().bits(8).groupSize(32).seed(9).build();
        SyntheticLinear p = plain.linear("model.layers.1.mlp.down_proj");
        SyntheticLinear q = gptq.linear("model.layers.1.mlp.down_proj");
        double err = 0;
        double norm = 0;
        for (int k = 0; k < p.inFeatures(); k++) {
            for (int n = 0; n < p.outFeatures(); n++) {
                err += Math.pow(p.expectedWeight(k, n) - q.expectedWeight(k, n), 2);
                norm += Math.pow(p.expectedWeight(k, n), 2);
            }
        }
        assertTrue(Math.sqrt(err / norm) < 0.01, "8-bit g32 relative error " + Math.sqrt(err / norm));
    }

    @Test
    void shardedCheckpointLoads() throws IOException {
        CheckpointSynthesizer synth = CheckpointSynthesizer.builder().actOrder(true).groupSize(64).shards(2).build();
        synth.write(dir);
        assertTrue(java.nio.file.Files.exists(dir.resolve("model-00001-of-00002.safetensors")));
        assertTrue(java.nio.file.Files.exists(dir.resolve("model-00002-of-00002.safetensors")));
        try (LlamaWeights w = CheckpointLoader.load(dir)) {
            assertSameWeights(synth.linear("model.layers.0.self_attn.q_proj"), w.layers().get(0).qProj());
            assertSameWeights(synth.linear("model.layers.1.mlp.down_proj"), w.layers().get(1).downProj());
            checkDense(synth, w);
        }
    }

    static void assertSameWeights(SyntheticLinear expected, Linear actual) {
        assertEquals(expected.inFeatures(), actual.inFeatures());
        assertEquals(expected.outFeatures(), actual.outFeatures());
        for (int k = 0; k < expected.inFeatures(); k++) {
            for (int n = 0; n < expected.outFeatures(); n++) {
                float e = expected.expectedWeight(k, n);
                float a = actual.weight(k, n);
                if (Float.floatToIntBits(e) != Float.floatToIntBits(a)) {
                    assertEquals(e, a, expected.prefix() + " W[" + k + "," + n + "]");
                }
            }
        }
    }

    static void checkDense(CheckpointSynthesizer synth, LlamaWeights w) {
        int h = synth.config().hiddenSize();
        SyntheticLinear embed = synth.linear("model.embed_tokens");
        SyntheticLinear head = synth.linear("lm_head");
        for (int v = 0; v < synth.config().vocabSize(); v += 7) {
            for (int i = 0; i < h; i++) {
                assertEquals(embed.expectedWeight(i, v), w.embeddings().get(v, i));
                assertEquals(head.expectedWeight(i, v), w.lmHead().weight(i, v));
            }
        }
        for (int i = 0; i < h; i++) {
            assertEquals(synth.normWeight("model.norm.weight", i), w.finalNorm()[i]);
            assertEquals(synth.normWeight("model.layers.1.input_layernorm.weight", i), w.layers().get(1).inputNorm()[i]);
            assertEquals(synth.normWeight("model.layers.0.post_attention_layernorm.weight", i),
                    w.layers().get(0).postAttentionNorm()[i]);
        }
        assertSame(DenseLinear.class, w.lmHead().getClass());
    }
}
