package io.yinghuo.model.engine;

import io.yinghuo.model.engine.rope.RopeSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The small values callers hand the engine, at their bounds: a device as users write it ({@code --device}), the
 * engine's options, a batch step's rotation length and a session's room.
 */
class EngineValuesTest {

    @Test
    void aDeviceIsParsedAsUsersWriteIt() {
        assertEquals(DeviceSpec.AUTO, DeviceSpec.parse(null));
        assertEquals(DeviceSpec.AUTO, DeviceSpec.parse(" "));
        assertEquals(DeviceSpec.AUTO, DeviceSpec.parse("Auto"));
        assertEquals(DeviceSpec.CPU, DeviceSpec.parse("CPU"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.CUDA, 0), DeviceSpec.parse("cuda"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.CUDA, 0), DeviceSpec.parse("gpu"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.CUDA, 1), DeviceSpec.parse("cuda:1"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.CUDA, 2), DeviceSpec.parse("2"));
        assertEquals(0, new DeviceSpec(DeviceSpec.Kind.CUDA, 0).cudaIndex(), "index 0 is a device");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> DeviceSpec.parse("tpu"));
        assertEquals("unknown device 'tpu': use auto, cpu, cuda or cuda:N", unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("cuda:-1"));
    }

    @Test
    void engineOptionsKeepWhatWasSetAndRefuseWhatCannotRun() {
        EngineOptions o = EngineOptions.defaults().withThreads(3).withRope(RopeSpec.parse("linear:2"))
                .withPrefillChunk(1);
        assertEquals(3, o.threads());
        assertEquals(3, o.effectiveThreads());
        assertEquals(RopeSpec.parse("linear:2"), o.rope());
        assertEquals(1, o.prefillChunk(), "one token per chunk is a chunk");
        assertNull(EngineOptions.defaults().rope(), "RoPE from config.json");
        assertEquals(EngineOptions.DEFAULT_PREFILL_CHUNK, EngineOptions.defaults().prefillChunk());
        assertEquals(Runtime.getRuntime().availableProcessors(), EngineOptions.defaults().effectiveThreads());
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.defaults().withPrefillChunk(0));
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.defaults().withThreads(-1));
    }

    @Test
    void aStepsRotationCoversTheSessionWithItsTokens() {
        RecordingModel.Session session = new RecordingModel.Session(1, 10, 5);
        session.forward(new int[] {1, 2, 3});
        assertEquals(5, SequenceStep.of(session, new int[] {4, 4}, null).ropeLength());
        assertEquals(5, new SequenceStep(session, new int[] {4, 4}, 5, null).ropeLength(), "exactly what it holds");
        IllegalArgumentException shortRope = assertThrows(IllegalArgumentException.class,
                () -> new SequenceStep(session, new int[] {4, 4}, 4, null));
        assertEquals("rope length 4 is shorter than the 5 tokens the session will hold", shortRope.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SequenceStep(session, new int[] {4}, 4, new float[4]),
                "logits smaller than the vocabulary");
        assertEquals(5, new SequenceStep(session, new int[] {4}, 4, new float[5]).logits().length);
    }

    @Test
    void aSessionTakesTokensUpToItsCapacityAndOnlyIdsOfItsVocabulary() {
        SessionInput.check(new int[] {0, 4}, 8, 10, 5); // exactly fills the session
        IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
                () -> SessionInput.check(new int[] {0, 1, 2}, 8, 10, 5));
        assertEquals("3 more tokens do not fit in this session: it holds 8 of its capacity of 10 tokens",
                full.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SessionInput.check(new int[] {5}, 0, 10, 5));
        assertThrows(IllegalArgumentException.class, () -> SessionInput.check(new int[] {-1}, 0, 10, 5));
        assertThrows(IllegalArgumentException.class, () -> SessionInput.check(new int[0], 0, 10, 5));
    }
}
