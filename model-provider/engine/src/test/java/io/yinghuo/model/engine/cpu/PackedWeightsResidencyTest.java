package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.Shape;
import io.yinghuo.model.testing.ProcMappings;
import io.yinghuo.model.weights.CheckpointLoader;
import io.yinghuo.model.weights.GptqLinear;
import io.yinghuo.model.weights.LayerWeights;
import io.yinghuo.model.weights.LlamaWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The quantized weights are resident once: after the CPU backend repacked them onto the heap, the checkpoint's
 * qweight pages are not resident in this process (the repacking read them through mappings it unmapped), while the
 * loaded {@link LlamaWeights} stay readable.
 */
class PackedWeightsResidencyTest {

    @Test
    void repackingLeavesNoQweightPagesResident(@TempDir Path dir) throws Exception {
        assumeTrue(ProcMappings.available(), "needs Linux /proc/self/smaps");
        CheckpointSynthesizer.builder().shape(Shape.TINY).numLayers(8).bits(4).groupSize(32).actOrder(true).seed(5)
                .build().write(dir);
        Path file = dir.resolve("model.safetensors");

        try (LlamaWeights weights = CheckpointLoader.load(dir);
             LoadedModel model = new CpuBackend().load(weights, EngineOptions.defaults().withThreads(1))) {
            List<GptqLinear> linears = new ArrayList<>();
            for (LayerWeights l : weights.layers()) {
                for (var linear : List.of(l.qProj(), l.kProj(), l.vProj(), l.oProj(), l.gateProj(), l.upProj(),
                        l.downProj())) {
                    linears.add((GptqLinear) linear);
                }
            }
            long qweightBytes = 0;
            for (GptqLinear g : linears) {
                qweightBytes += 4L * g.qweight().capacity();
            }
            long afterLoad = ProcMappings.of(file).residentBytes();

            // Touch every qweight word through the loaded weights: the pages become resident only now.
            long sum = 0;
            for (GptqLinear g : linears) {
                IntBuffer q = g.qweight();
                for (int i = 0; i < q.capacity(); i++) {
                    sum += q.get(i);
                }
            }
            long afterTouch = ProcMappings.of(file).residentBytes();
            assertTrue(afterTouch - afterLoad >= qweightBytes, "qweight (" + qweightBytes + " bytes) was already"
                    + " resident after loading: " + afterLoad + " bytes resident then, " + afterTouch
                    + " after reading every qweight word (checksum " + sum + ")");

            // The transient path packs exactly what the long-lived buffers hold.
            for (GptqLinear g : linears) {
                assertArrayEquals(PackedGptq.pack(g.withBuffers(g.qweight(), g.qzeros(), g.scales())).data(),
                        PackedGptq.pack(g).data());
            }
            assertEquals(linears.size(), weights.layers().size() * 7);
            model.newSession(4).forward(new int[] {1, 2, 3});
        }
    }
}
