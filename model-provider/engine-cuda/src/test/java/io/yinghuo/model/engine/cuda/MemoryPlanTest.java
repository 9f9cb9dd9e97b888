package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.weights.LlamaWeights;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GPU memory checks' arithmetic and messages (no GPU needed). */
class MemoryPlanTest {
    private static final long GIB = 1L << 30;

    @Test
    void modelThatDoesNotFitNamesItsSizesAndWhatToLower() {
        MemoryPlan plan = new MemoryPlan(3_900L << 20, 120L << 20, 512 * 1024, 256);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plan.checkModel("GPU 0 (Test GPU)", 2 * GIB, 24 * GIB));
        String m = e.getMessage();
        assertTrue(m.contains("3.93 GiB"), m); // weights + scratch
        assertTrue(m.contains("weights 3.81 GiB"), m);
        assertTrue(m.contains("120.0 MiB"), m);
        assertTrue(m.contains("256-token prefill"), m);
        assertTrue(m.contains("2.00 GiB free of 24.00 GiB"), m);
        assertTrue(m.contains("smaller model"), m);
        assertDoesNotThrow(() -> plan.checkModel("GPU 0", 8 * GIB, 24 * GIB));
    }

    @Test
    void sessionThatDoesNotFitSaysHowLongAContextFits() {
        // 7B: 32 layers x 2 x 4096 x 2 bytes = 0.5 MiB per token; 16K tokens = 8 GiB
        MemoryPlan plan = new MemoryPlan(4 * GIB, 0, 512 * 1024, 256);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> plan.checkSession(16_384, "GPU 0 (Test GPU)", 4 * GIB));
        String m = e.getMessage();
        assertTrue(m.contains("16,384-token context needs 8.00 GiB"), m);
        assertTrue(m.contains("524,288 bytes per token"), m);
        assertTrue(m.contains("at most about 7,680 tokens"), m); // (4 GiB - 256 MiB) / 0.5 MiB
        assertDoesNotThrow(() -> plan.checkSession(4096, "GPU 0", 4 * GIB));
    }

    @Test
    void kvCostPerTokenMatchesTheCpuCache() {
        LlamaWeights w = RandomLlama.build(RandomLlama.Spec.tiny().withHeads(4, 2));
        LlamaConfig c = w.config();
        assertEquals((long) c.numLayers() * 2 * c.kvDim() * 2, CudaForward.kvBytesPerToken(c));
    }

    @Test
    void scratchEstimateGrowsWithThePrefillChunk() {
        LlamaWeights w = RandomLlama.build(RandomLlama.Spec.tiny());
        long small = CudaForward.scratchBytesEstimate(w.config(), w, 16);
        long large = CudaForward.scratchBytesEstimate(w.config(), w, 512);
        assertTrue(large > small && small > 0, small + " vs " + large);
    }
}
