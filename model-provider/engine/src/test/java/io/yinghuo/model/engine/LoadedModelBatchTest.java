package io.yinghuo.model.engine;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a backend without native batching (the default {@link LoadedModel#forwardBatch}) does with a batch: each
 * step's tokens go to its own session, in order, and its logits land where the step says; a session that appears
 * twice is refused before any session moves; the scheduler is told that the steps run one after another.
 */
class LoadedModelBatchTest {

    private static final int VOCAB = 4;

    private static RecordingModel.Session session(int id) {
        return new RecordingModel.Session(id, 100, VOCAB);
    }

    @Test
    void eachStepRunsInItsOwnSessionAndItsLogitsLandWhereItSays() {
        RecordingModel.Session a = session(1);
        RecordingModel.Session b = session(2);
        RecordingModel.Session c = session(3);
        b.length = 10;
        float[] logitsA = new float[VOCAB + 2];
        Arrays.fill(logitsA, -7f);
        float[] logitsC = new float[VOCAB];
        new RecordingModel(VOCAB).forwardBatch(List.of(SequenceStep.of(a, new int[] {5, 6, 7}, logitsA),
                SequenceStep.of(b, new int[] {8}, null), SequenceStep.of(c, new int[] {9, 9}, logitsC)));

        assertArrayEquals(new float[] {1, 3, 7, 3, -7f, -7f}, logitsA, 0f,
                "a's logits; the rest of the array untouched");
        assertArrayEquals(new float[] {3, 2, 9, 2}, logitsC, 0f);
        assertEquals(List.of("[5, 6, 7]"), a.calls.stream().map(Arrays::toString).toList());
        assertEquals(List.of("[8]"), b.calls.stream().map(Arrays::toString).toList(),
                "a step without logits still runs");
        assertEquals(11, b.length());
        assertEquals(List.of("[9, 9]"), c.calls.stream().map(Arrays::toString).toList());
    }

    @Test
    void aSessionTwiceInOneBatchIsRefusedBeforeAnySessionMoves() {
        RecordingModel.Session a = session(1);
        RecordingModel.Session b = session(2);
        for (List<RecordingModel.Session> order : List.of(List.of(a, b, a), List.of(b, a, a), List.of(a, a, b))) {
            List<SequenceStep> steps = order.stream().map(s -> SequenceStep.of(s, new int[] {1}, null)).toList();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RecordingModel(VOCAB).forwardBatch(steps));
            assertEquals("a session appears twice in one batch", e.getMessage());
        }
        assertEquals(0, a.calls.size() + b.calls.size());
        assertEquals(0, a.length() + b.length());
    }

    @Test
    void theSchedulerIsToldWhetherABatchCostsOnePassOverTheWeights() {
        LoadedModel sequential = new RecordingModel(VOCAB);
        assertFalse(sequential.batchesNatively());
        assertEquals("this backend runs the sequences of a batch one after another", sequential.batchingNote());
        LoadedModel batching = new RecordingModel(VOCAB) {
            @Override
            public boolean batchesNatively() {
                return true;
            }
        };
        assertTrue(batching.batchesNatively());
        assertEquals("", batching.batchingNote());
    }
}
