package io.yinghuo.model.generate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link GenerationRun} as the model worker's batch loop drives it (feeding the prefill, handing each pass's logits
 * to {@code accept}), for what that loop relies on beyond {@link Generator}: the reused prefix it reports back, and
 * {@code cancel()} ending a run whose pass failed with the text it had streamed.
 */
class GenerationRunTest {

    private static final int[] PROMPT = {FakeTokenizer.BOS, FakeTokenizer.X, FakeTokenizer.Y};

    private static GenerationRun run(int reused, CancellationToken cancellation, List<String> pieces) {
        return new GenerationRun(new FakeTokenizer(), FakeTokenizer.VOCAB, 32, PROMPT, reused,
                SamplingParams.greedy(10), null, pieces::add, cancellation);
    }

    /** Logits whose largest value is at {@code id}: greedy sampling takes it. */
    private static float[] peakedAt(int id) {
        float[] logits = new float[FakeTokenizer.VOCAB];
        logits[id] = 10f;
        return logits;
    }

    @Test
    void aReusedPrefixMustLeaveAtLeastOnePromptTokenToRun() {
        IllegalArgumentException whole = assertThrows(IllegalArgumentException.class,
                () -> run(PROMPT.length, new CancellationToken(), new ArrayList<>()));
        assertEquals("reused prefix 3 outside 0..2", whole.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> run(-1, new CancellationToken(), new ArrayList<>()));
        assertEquals("reused prefix -1 outside 0..2", negative.getMessage());

        GenerationRun lastOnly = run(PROMPT.length - 1, new CancellationToken(), new ArrayList<>());
        assertEquals(PROMPT.length - 1, lastOnly.reused());
        assertArrayEquals(new int[] {FakeTokenizer.Y}, lastOnly.prefill());
        assertEquals(FakeTokenizer.HELLO, lastOnly.accept(peakedAt(FakeTokenizer.HELLO)));
        assertEquals(-1, lastOnly.accept(peakedAt(FakeTokenizer.EOS)));
        assertEquals(1, lastOnly.result().prefillTokens(), "only the token after the reused prefix ran");
        assertEquals(PROMPT.length, lastOnly.result().promptTokens());
    }

    @Test
    void cancellingARunWhosePassFailedKeepsWhatItStreamed() {
        CancellationToken token = new CancellationToken();
        List<String> pieces = new ArrayList<>();
        GenerationRun run = run(0, token, pieces);
        assertSame(token, run.cancellation(), "the batch loop checks the caller's token");
        assertEquals(FakeTokenizer.HELLO, run.accept(peakedAt(FakeTokenizer.HELLO)));
        assertEquals(FakeTokenizer.WORLD, run.accept(peakedAt(FakeTokenizer.WORLD)));

        GenerationResult cancelled = run.cancel();
        assertEquals(FinishReason.CANCELLED, cancelled.finishReason());
        assertEquals("Hello world", cancelled.text());
        assertArrayEquals(new int[] {FakeTokenizer.HELLO, FakeTokenizer.WORLD}, cancelled.tokenIds());
        assertEquals(List.of("Hello world"), List.of(String.join("", pieces)));
        assertSame(cancelled, run.result());
        assertSame(cancelled, run.cancel(), "a second cancel keeps the first result");
    }

    @Test
    void cancellingAFinishedRunKeepsItsOwnEnd() {
        GenerationRun run = run(0, new CancellationToken(), new ArrayList<>());
        assertEquals(FakeTokenizer.HELLO, run.accept(peakedAt(FakeTokenizer.HELLO)));
        assertEquals(-1, run.accept(peakedAt(FakeTokenizer.EOS)));
        GenerationResult stopped = run.result();
        assertSame(stopped, run.cancel());
        assertEquals(FinishReason.STOP, run.cancel().finishReason());
    }
}
