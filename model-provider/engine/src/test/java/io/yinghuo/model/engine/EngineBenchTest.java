package io.yinghuo.model.engine;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What `yinghuo bench` times: a warm-up in a session of its own, then one batched prefill of the prompt and one
 * forward per decoded token in a session that holds exactly both, with token ids inside the vocabulary; and its
 * rates are tokens divided by the seconds they took.
 */
class EngineBenchTest {

    @Test
    void aWarmUpThenOnePrefillAndOneStepPerDecodedTokenInASessionOfExactlyTheirSize() {
        RecordingModel model = new RecordingModel(7);
        long before = System.nanoTime();
        BenchResult result = EngineBench.run(model, 40, 5, 1);
        double callSeconds = (System.nanoTime() - before) / 1e9;

        assertEquals(2, model.sessions.size());
        RecordingModel.Session warm = model.sessions.get(0);
        assertEquals(20, warm.capacity(), "16 prompt tokens and 4 decode steps");
        assertEquals(List.of(16, 1, 1, 1, 1), warm.calls.stream().map(c -> c.length).toList());
        RecordingModel.Session timed = model.sessions.get(1);
        assertEquals(45, timed.capacity());
        assertEquals(List.of(40, 1, 1, 1, 1, 1), timed.calls.stream().map(c -> c.length).toList());
        for (RecordingModel.Session s : model.sessions) {
            assertTrue(s.calls.stream().flatMapToInt(Arrays::stream).allMatch(t -> t >= 0 && t < 7), "ids in vocab");
        }
        assertEquals(40, result.promptTokens());
        assertEquals(5, result.decodeTokens());
        assertTrue(Arrays.stream(timed.calls.get(0)).distinct().count() > 1, "a random prompt");
        assertTrue(result.prefillSeconds() >= 0 && result.decodeSeconds() >= 0);
        assertTrue(result.prefillSeconds() + result.decodeSeconds() <= callSeconds, "timed within the call");
        double cores = Runtime.getRuntime().availableProcessors();
        for (double cpu : new double[] {result.prefillCpuSeconds(), result.decodeCpuSeconds()}) {
            assertTrue(Double.isNaN(cpu) || (cpu >= 0 && cpu <= callSeconds * cores + 0.05), cpu + " CPU s");
        }
    }

    @Test
    void aShortPromptWarmsUpWithItsOwnLength() {
        RecordingModel model = new RecordingModel(3);
        EngineBench.run(model, 3, 1, 2);
        assertEquals(7, model.sessions.get(0).capacity());
        assertEquals(3, model.sessions.get(0).calls.get(0).length);
        assertEquals(4, model.sessions.get(1).capacity());
    }

    @Test
    void theSameSeedBenchesTheSameTokens() {
        RecordingModel a = new RecordingModel(1000);
        RecordingModel b = new RecordingModel(1000);
        EngineBench.run(a, 8, 3, 42);
        EngineBench.run(b, 8, 3, 42);
        assertEquals(tokens(a), tokens(b));
        RecordingModel c = new RecordingModel(1000);
        EngineBench.run(c, 8, 3, 43);
        assertTrue(!tokens(a).equals(tokens(c)), "another seed, other tokens");
    }

    @Test
    void atLeastOnePromptAndOneDecodeToken() {
        RecordingModel model = new RecordingModel(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineBench.run(model, 1, 0, 1));
        assertEquals("bench needs at least one prompt and one decode token, got 1 and 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EngineBench.run(model, 0, 1, 1));
        assertEquals(0, model.sessions.size());
        EngineBench.run(model, 1, 1, 1);
        assertEquals(2, model.sessions.size(), "one prompt and one decode token are enough");
    }

    @Test
    void ratesAreTokensPerSecondOfWallAndOfCpuTime() {
        BenchResult r = new BenchResult(200, 50, 0.5, 2.0, 0.8, 4.0);
        assertEquals(400.0, r.prefillTokensPerSecond(), 1e-9);
        assertEquals(25.0, r.decodeTokensPerSecond(), 1e-9);
        assertEquals(250.0, r.prefillTokensPerCpuSecond(), 1e-9);
        assertEquals(12.5, r.decodeTokensPerCpuSecond(), 1e-9);
    }

    private static String tokens(RecordingModel model) {
        return model.sessions.stream().flatMap(s -> s.calls.stream()).map(Arrays::toString).toList().toString();
    }
}
