package io.yinghuo.model.serve;

import io.yinghuo.model.engine.RecordingModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the serving benchmark asks of the model, on a model that records it: each batch width gets its own sessions
 * holding a 64-token prompt and the steps, every stream decodes the token its last logits chose (one warm-up step,
 * then the timed ones), and the figures agree with the counts and with the time the run took.
 */
class ServingBenchStreamsTest {

    /**
     * A vocabulary of 4: the recording model's logits are then [session id (1-3), tokens held (64 or more), last
     * token (0-3), tokens in the call], so the token they choose is always 1, the length: after the 64-token prompt
     * it ties with the call's count of 64, and the first of equal logits wins.
     */
    private static final int VOCAB = 4;

    @Test
    void everyStreamDecodesWhatItsLastLogitsChoseInSessionsOfThePromptAndTheSteps() {
        RecordingModel model = new RecordingModel(VOCAB);
        ServingBench.Plan plan = new ServingBench.Plan(new int[0], 1, 0, 0, 0, new int[] {1, 2}, 4);
        List<String> progress = new ArrayList<>();
        long before = System.nanoTime();
        ServingBench.Report report = ServingBench.run(model, plan, progress::add);
        double callSeconds = (System.nanoTime() - before) / 1e9;

        assertEquals(3, model.sessions.size(), "one session for the single stream, two for the pair");
        for (RecordingModel.Session s : model.sessions) {
            assertEquals(64 + 4 + 2, s.capacity());
            assertEquals(6, s.calls.size(), "the prompt, a warm-up step and four timed steps");
            assertEquals(64, s.calls.get(0).length);
            for (int[] step : s.calls.subList(1, s.calls.size())) {
                assertArrayEquals(new int[] {1}, step, "the token the last logits chose");
            }
        }
        assertEquals(List.of(1, 2), report.streams().stream().map(ServingBench.Streams::streams).toList());
        for (ServingBench.Streams s : report.streams()) {
            assertEquals(4, s.steps());
            assertTrue(s.seconds() > 0 && s.seconds() <= callSeconds, s.seconds() + " s");
            assertTrue(s.maxStepMillis() >= s.p99StepMillis() && s.p99StepMillis() > 0, s.toString());
            assertTrue(s.maxStepMillis() <= s.seconds() * 1000, "one step is part of the total");
            assertEquals(s.streams() * 4 / s.seconds(), s.aggregateTokensPerSecond(), 1e-9);
        }
        double single = report.streams().get(0).aggregateTokensPerSecond();
        double pair = report.streams().get(1).aggregateTokensPerSecond();
        assertEquals(pair / single, report.scaling(), 1e-9);
        assertEquals(List.of(report.streams().get(0).toString(), report.streams().get(1).toString()), progress);
        assertTrue(report.firstTokens().isEmpty() && report.speeds().isEmpty(), "no history, no prompt lengths");
    }

    @Test
    void theFiguresReadAsTheyAdd() {
        ServingBench.Streams two = new ServingBench.Streams(2, 10, 4.0, 250.0, 400.0);
        assertEquals(5.0, two.aggregateTokensPerSecond(), 1e-12);
        assertEquals("2 streams: aggregate decode   5.00 tok/s ( 2.50 per stream), p99 inter-token 250 ms (max 400 ms)"
                + " per stream", two.toString());
        ServingBench.FirstToken first = new ServingBench.FirstToken("chat follow-up", 56, 50, 0.6, 0.2);
        assertEquals(3.0, first.ratio(), 1e-12);
        assertEquals("chat follow-up: 56-token prompt, 50 cached: first token cold 0.600 s, with the cached prefix"
                + " 0.200 s (3.0x lower)", first.toString());
    }
}
