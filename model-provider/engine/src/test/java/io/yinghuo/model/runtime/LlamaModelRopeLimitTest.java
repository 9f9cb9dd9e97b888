package io.yinghuo.model.runtime;

import io.yinghuo.model.config.RopeScalingConfig;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.engine.rope.RopeSpec;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.synth.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How far a cached prefix may be reused: with RoPE that rotates a whole call for its total length once past
 * max_position_embeddings (dynamic NTK, "ntk:auto"), keys cached beyond it differ from those a fresh run computes,
 * so reuse stops at max_position_embeddings; with a fixed rotation (none, linear, fixed NTK, YaRN) it is unbounded.
 * The checkpoint's rope_scaling decides unless the options name a rotation.
 */
class LlamaModelRopeLimitTest {

    @TempDir
    static Path dir;
    static Path dynamic;
    static Path plain;

    @BeforeAll
    static void synthesize() throws Exception {
        dynamic = synthesize("dynamic", new RopeScalingConfig("dynamic", 2.0, 0));
        plain = synthesize("plain", null);
    }

    private static Path synthesize(String name, RopeScalingConfig scaling) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        CheckpointSynthesizer.builder().shape(Shape.TINY).seed(3).maxPositionEmbeddings(96).ropeScaling(scaling)
                .build().write(folder);
        SentencePieceModelWriter.small().write(folder.resolve(LlamaModel.TOKENIZER_FILE));
        return folder;
    }

    private static int limit(Path folder, String rope) {
        ModelOptions options = ModelOptions.defaults().withDevice(DeviceSpec.CPU).withThreads(1).withContextLength(64);
        if (rope != null) {
            options = options.withRope(RopeSpec.parse(rope));
        }
        try (LlamaModel model = LlamaModel.load(folder, options)) {
            return model.ropeExactLimit();
        }
    }

    @Test
    void lengthDependentRotationsStopReuseAtTheTrainedLength() {
        assertEquals(96, limit(dynamic, null), "dynamic from config.json");
        assertEquals(96, limit(plain, "dynamic:2"));
        assertEquals(96, limit(plain, "ntk:auto"));
    }

    @Test
    void fixedRotationsAllowReuseAtAnyLength() {
        assertEquals(Integer.MAX_VALUE, limit(plain, null), "no rope_scaling");
        assertEquals(Integer.MAX_VALUE, limit(dynamic, "linear:2"), "the options outrank config.json");
        assertEquals(Integer.MAX_VALUE, limit(plain, "ntk:4"));
        assertEquals(Integer.MAX_VALUE, limit(plain, "yarn:2"));
    }
}
