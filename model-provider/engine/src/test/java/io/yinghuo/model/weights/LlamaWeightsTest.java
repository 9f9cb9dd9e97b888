package io.yinghuo.model.weights;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.engine.RandomLlama.Spec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every backend checks before laying weights out ({@link LlamaWeights#validateShapes}): a config and tensors
 * that disagree are refused naming the tensor and both shapes; and the bytes a decode step streams
 * ({@link LlamaWeights#bytesPerToken}, the figure behind the bench's bandwidth).
 */
class LlamaWeightsTest {

    /** hidden 64, intermediate 96, 2 layers, 4 heads over 2 KV heads (kv dimension 32), vocabulary 50. */
    private static final Spec SPEC = Spec.tiny().dense(DType.F16).withHeads(4, 2);

    private static LlamaConfig config(int hidden, int heads, int kvHeads, int layers, int vocab) {
        return new LlamaConfig(hidden, 96, layers, heads, kvHeads, vocab, 1e-5, 10000, 64, null, 1, 2, false);
    }

    private static LlamaWeights withConfig(LlamaWeights w, LlamaConfig c) {
        return new LlamaWeights(c, w.quant(), w.embeddings(), w.layers(), w.finalNorm(), w.lmHead(), null);
    }

    private static LlamaWeights withLayer0(LlamaWeights w, UnaryOperator<LayerWeights> change) {
        List<LayerWeights> layers = new ArrayList<>(w.layers());
        layers.set(0, change.apply(layers.get(0)));
        return new LlamaWeights(w.config(), w.quant(), w.embeddings(), layers, w.finalNorm(), w.lmHead(), null);
    }

    private static void assertRefused(String message, LlamaWeights w) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, w::validateShapes).getMessage());
    }

    @Test
    void matchingWeightsPass() {
        assertDoesNotThrow(() -> RandomLlama.build(SPEC).validateShapes());
        assertDoesNotThrow(() -> RandomLlama.build(Spec.tiny().withQuant(4, 32, true, true)).validateShapes());
    }

    @Test
    void headCountsThatDoNotDivideAreRefused() {
        LlamaWeights w = RandomLlama.build(SPEC);
        assertRefused("hidden_size 64 is not a multiple of num_attention_heads 3",
                withConfig(w, config(64, 3, 1, 2, 50)));
        assertRefused("hidden_size 64 is not a multiple of num_attention_heads 0",
                withConfig(w, config(64, 0, 1, 2, 50)));
        assertRefused("num_attention_heads 4 is not a multiple of num_key_value_heads 3",
                withConfig(w, config(64, 4, 3, 2, 50)));
        assertRefused("num_attention_heads 4 is not a multiple of num_key_value_heads 0",
                withConfig(w, config(64, 4, 0, 2, 50)));
    }

    @Test
    void tensorsThatDisagreeWithTheConfigAreNamed() {
        LlamaWeights w = RandomLlama.build(SPEC);
        assertRefused("embed_tokens is 50x64, config says vocab 51 x hidden 64",
                withConfig(w, config(64, 4, 2, 2, 51)));
        assertRefused("config has 3 layers, weights have 2", withConfig(w, config(64, 4, 2, 3, 50)));
        // with 4 heads over 2 KV heads k_proj maps 64 -> 32; q_proj's 64 -> 64 in its place is refused
        assertRefused("model.layers.0.self_attn.k_proj maps 64 -> 64, expected 64 -> 32", withLayer0(w,
                l -> new LayerWeights(l.inputNorm(), l.qProj(), l.qProj(), l.vProj(), l.oProj(),
                        l.postAttentionNorm(), l.gateProj(), l.upProj(), l.downProj())));
        assertRefused("model.layers.0.mlp.down_proj maps 64 -> 96, expected 96 -> 64", withLayer0(w,
                l -> new LayerWeights(l.inputNorm(), l.qProj(), l.kProj(), l.vProj(), l.oProj(),
                        l.postAttentionNorm(), l.gateProj(), l.upProj(), l.upProj())));
        assertRefused("layer 0 norm weights must have 64 entries", withLayer0(w,
                l -> new LayerWeights(new float[63], l.qProj(), l.kProj(), l.vProj(), l.oProj(),
                        l.postAttentionNorm(), l.gateProj(), l.upProj(), l.downProj())));
        assertRefused("layer 0 norm weights must have 64 entries", withLayer0(w,
                l -> new LayerWeights(l.inputNorm(), l.qProj(), l.kProj(), l.vProj(), l.oProj(),
                        new float[65], l.gateProj(), l.upProj(), l.downProj())));
        assertRefused("model.norm must have 64 entries, has 32", new LlamaWeights(w.config(), w.quant(),
                w.embeddings(), w.layers(), new float[32], w.lmHead(), null));
        Linear otherHead = RandomLlama.dense(new Random(1), 64, 49, DType.F16);
        assertRefused("lm_head maps 64 -> 49, expected 64 -> 50", new LlamaWeights(w.config(), w.quant(),
                w.embeddings(), w.layers(), w.finalNorm(), otherHead, null));
    }

    /** Every projection of a layer is checked: each one, given a linear of the wrong shape, is named. */
    @Test
    void eachProjectionOfALayerIsChecked() {
        LlamaWeights w = RandomLlama.build(SPEC);
        Linear wrong = RandomLlama.dense(new Random(2), 64, 48, DType.F16);
        String[] names = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"};
        for (int p = 0; p < names.length; p++) {
            int at = p;
            LlamaWeights changed = withLayer0(w, l -> {
                Linear[] all = {l.qProj(), l.kProj(), l.vProj(), l.oProj(), l.gateProj(), l.upProj(), l.downProj()};
                all[at] = wrong;
                return new LayerWeights(l.inputNorm(), all[0], all[1], all[2], all[3], l.postAttentionNorm(),
                        all[4], all[5], all[6]);
            });
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, changed::validateShapes);
            assertTrue(e.getMessage().startsWith("model.layers.0." + names[p] + " maps 64 -> 48"), e.getMessage());
        }
    }

    /**
     * fp16 everywhere: each linear streams K * N * 2 bytes, and a token reads one row of the embeddings
     * (hidden * 2 bytes), not the whole table.
     */
    @Test
    void aDecodeStepStreamsEveryLinearAndOneEmbeddingRow() {
        LlamaWeights w = RandomLlama.build(SPEC);
        long perLayer = 2L * (64 * 64 + 64 * 32 + 64 * 32 + 64 * 64 + 64 * 96 + 64 * 96 + 96 * 64);
        long expected = 2 * perLayer + 2L * 64 * 50 + 2L * 64;
        assertEquals(expected, w.bytesPerToken());
    }
}
