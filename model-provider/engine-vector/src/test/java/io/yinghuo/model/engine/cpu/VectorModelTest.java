package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.engine.RandomLlama.Spec;
import io.yinghuo.model.engine.ReferenceLlama;
import io.yinghuo.model.weights.LlamaWeights;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole model forward pass with the Vector API kernels gives the scalar kernels' logits (the scalar path is the oracle). */
class VectorModelTest {

    private static final Spec BASE = Spec.tiny();

    @Test
    void scalarAndVectorKernelsGiveTheSameModelOutput() {
        Spec spec = BASE.withQuant(4, 32, true, true).withHeads(8, 2).withShape(128, 200, 2, 8, 2, 70);
        LlamaWeights w = RandomLlama.build(spec);
        int[] prompt = RandomLlama.tokens(new Random(8), 6, spec.vocab());
        float[] scalar;
        float[] vector;
        try (LoadedModel m = new CpuBackend(KernelsProvider.scalar()).load(w, EngineOptions.defaults());
             InferenceSession s = m.newSession(8)) {
            s.forward(prompt);
            scalar = s.forward(new int[] {3}).clone();
        }
        try (LoadedModel m = new CpuBackend(KernelsProvider.vectorOrNull()).load(w, EngineOptions.defaults());
             InferenceSession s = m.newSession(8)) {
            s.forward(prompt);
            vector = s.forward(new int[] {3}).clone();
        }
        assertTrue(CpuModelTest.maxDiff(scalar, vector) <= 1e-4 * CpuModelTest.maxAbs(scalar), "scalar vs vector model");
    }

    /**
     * A 150-token prompt after 3 decoded tokens, in prefill chunks of 64: prompt rows attend four at a time from
     * positions 3, 7, ... (a last group of 2 or 3 rows per chunk, positions past a row's own masked), over more
     * than one block of 64 cached positions; every position's logits match the float64 reference, which attends
     * one query at a time.
     */
    @Test
    void aLongChunkedPromptMatchesTheReferenceAtEveryPosition() {
        Spec spec = BASE.withQuant(4, 32, true, true).withHeads(8, 2).withShape(128, 200, 2, 8, 2, 70);
        LlamaWeights w = RandomLlama.build(spec);
        int[] tokens = RandomLlama.tokens(new Random(12), 153, spec.vocab());
        int[] head = Arrays.copyOfRange(tokens, 0, 3);
        int[] prompt = Arrays.copyOfRange(tokens, 3, tokens.length);
        ReferenceLlama reference = new ReferenceLlama(w, "none", true);
        reference.forward(head);
        double[][] expected = reference.forward(prompt);
        float[][] got = new float[prompt.length][];
        try (LoadedModel m = new CpuBackend(KernelsProvider.vectorOrNull())
                .load(w, EngineOptions.defaults().withPrefillChunk(64));
             InferenceSession s = m.newSession(160)) {
            for (int token : head) {
                s.forward(new int[] {token});
            }
            s.forwardAll(prompt, (i, row) -> got[i] = row.clone());
        }
        for (int i = 0; i < prompt.length; i++) {
            CpuModelTest.assertLogits(expected[i], got[i], "position " + (i + head.length));
        }
    }
}
