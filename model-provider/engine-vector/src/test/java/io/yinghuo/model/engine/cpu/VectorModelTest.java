package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.engine.RandomLlama.Spec;
import io.yinghuo.model.weights.LlamaWeights;
import org.junit.jupiter.api.Test;

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
}
