package io.yinghuo.model.generate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.yinghuo.model.generate.FakeTokenizer.BANG;
import static io.yinghuo.model.generate.FakeTokenizer.BOS;
import static io.yinghuo.model.generate.FakeTokenizer.EOS;
import static io.yinghuo.model.generate.FakeTokenizer.HELLO;
import static io.yinghuo.model.generate.FakeTokenizer.NIHAO;
import static io.yinghuo.model.generate.FakeTokenizer.OP;
import static io.yinghuo.model.generate.FakeTokenizer.S;
import static io.yinghuo.model.generate.FakeTokenizer.SPACE;
import static io.yinghuo.model.generate.FakeTokenizer.ST;
import static io.yinghuo.model.generate.FakeTokenizer.VOCAB;
import static io.yinghuo.model.generate.FakeTokenizer.WORLD;
import static io.yinghuo.model.generate.FakeTokenizer.X;
import static io.yinghuo.model.generate.FakeTokenizer.Y;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {

    private static final int[] PROMPT = {BOS, X, Y};
    private final FakeTokenizer tokenizer = new FakeTokenizer();
    private final List<String> pieces = new ArrayList<>();

    private FakeSession scriptedSession(int capacity, int... script) {
        return new FakeSession(VOCAB, capacity, FakeSession.scripted(VOCAB, PROMPT.length, script));
    }

    private GenerationResult run(FakeSession session, SamplingParams params) {
        return new Generator(session, tokenizer).generate(PROMPT, params, pieces::add, new CancellationToken());
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private void assertStreamMatches(GenerationResult result) {
        assertEquals(result.text(), String.join("", pieces));
        for (String piece : pieces) {
            assertFalse(piece.isEmpty(), "empty piece streamed");
            assertWholeCharacters(piece);
        }
    }

    private static void assertWholeCharacters(String piece) {
        assertFalse(piece.contains("\uFFFD"), "replacement character in " + piece);
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < piece.length() && Character.isLowSurrogate(piece.charAt(i + 1)),
                        "piece ends inside a surrogate pair: " + piece);
                i++;
            } else {
                assertFalse(Character.isSurrogate(c), "lone surrogate in " + piece);
            }
        }
    }

    @Test
    void stopsAtEosWithoutEmittingItAndDropsTheLeadingSpace() {
        FakeSession session = scriptedSession(64, HELLO, WORLD, BANG, EOS, HELLO);
        GenerationResult result = run(session, SamplingParams.greedy(50));
        assertEquals("Hello world!", result.text());
        assertArrayEquals(new int[]{HELLO, WORLD, BANG}, result.tokenIds());
        assertEquals(FinishReason.STOP, result.finishReason());
        assertNull(result.stopString());
        assertEquals(List.of("Hello", " world", "!"), pieces);
        assertEquals(3, result.promptTokens());
        assertEquals(3, result.prefillTokens());
        assertEquals(3, result.generatedTokens());
        assertEquals(3, result.decodeTokens()); // HELLO, WORLD and BANG were fed to get the next logits
        assertEquals(List.of("truncate(0)", "forward[1, 266, 267]", "forward[259]", "forward[260]", "forward[261]"),
                session.calls);
        assertStreamMatches(result);
    }

    @Test
    void onlyOneLeadingSpaceIsDroppedAsSpmDecodeWould() {
        // spm decodes ["▁", "▁Hello"] to " Hello": the lone "▁" is swallowed, the second keeps its space.
        GenerationResult result = run(scriptedSession(64, SPACE, HELLO), SamplingParams.greedy(50));
        assertEquals(" Hello", result.text());
        assertEquals(tokenizer.decode(result.tokenIds()), result.text());
        // An answer starting with a byte-token character has no space to drop.
        pieces.clear();
        GenerationResult bytes = run(scriptedSession(64, FakeTokenizer.byteTokens("好")), SamplingParams.greedy(50));
        assertEquals("好", bytes.text());
    }

    @Test
    void stopsAfterMaxNewTokens() {
        FakeSession session = scriptedSession(64, HELLO, WORLD, BANG, EOS);
        GenerationResult result = run(session, SamplingParams.greedy(2));
        assertEquals("Hello world", result.text());
        assertEquals(FinishReason.LENGTH, result.finishReason());
        assertEquals(2, result.generatedTokens());
        assertEquals(1, result.decodeTokens()); // the second token is sampled but never fed
        assertStreamMatches(result);
    }

    @Test
    void eosCountsTowardsMaxNewTokens() {
        GenerationResult result = run(scriptedSession(64, HELLO, EOS), SamplingParams.greedy(2));
        assertEquals(FinishReason.STOP, result.finishReason());
        assertEquals(1, result.generatedTokens());
    }

    @Test
    void stopStringAcrossPiecesIsNeverStreamed() {
        SamplingParams params = SamplingParams.greedy(50).toBuilder().stopStrings("STOP").build();
        GenerationResult result = run(scriptedSession(64, HELLO, ST, OP, WORLD, EOS), params);
        assertEquals("Hello", result.text());
        assertEquals(FinishReason.STOP, result.finishReason());
        assertEquals("STOP", result.stopString());
        assertArrayEquals(new int[]{HELLO, ST, OP}, result.tokenIds());
        assertEquals(List.of("Hello"), pieces);
        assertStreamMatches(result);
    }

    @Test
    void stopStringInsideOnePieceCutsThePiece() {
        SamplingParams params = SamplingParams.greedy(50).toBuilder().stopStrings("llo w").build();
        GenerationResult result = run(scriptedSession(64, HELLO, WORLD, BANG), params);
        assertEquals("He", result.text());
        assertEquals(List.of("He"), pieces);
    }

    @Test
    void heldBackTextIsReleasedWhenItTurnsOutNotToBeAStop() {
        SamplingParams params = SamplingParams.greedy(50).toBuilder().stopStrings("STOP").build();
        GenerationResult result = run(scriptedSession(64, HELLO, S, ST, X, BANG, EOS), params);
        // "S" might start STOP, then "SST" ends in "ST", then "x" decides.
        assertEquals("HelloSSTx!", result.text());
        assertEquals(List.of("Hello", "S", "STx", "!"), pieces); // "SST": the first S is free, "ST" is held
        assertEquals(FinishReason.STOP, result.finishReason());
        assertNull(result.stopString());

        pieces.clear();
        GenerationResult atEnd = run(scriptedSession(64, HELLO, ST, EOS), params);
        assertEquals("HelloST", atEnd.text()); // an undecided tail is released when generation ends
        assertEquals(List.of("Hello", "ST"), pieces);

        pieces.clear();
        GenerationResult atLength = run(scriptedSession(64, HELLO, ST, OP), SamplingParams.greedy(2).toBuilder()
                .stopStrings("STOP").build());
        assertEquals("HelloST", atLength.text());
        assertEquals(FinishReason.LENGTH, atLength.finishReason());
    }

    @Test
    void multiByteCharactersAreStreamedWholeAndCanStartAStop() {
        int[] hao = FakeTokenizer.byteTokens("好");
        int[] smile = FakeTokenizer.byteTokens("😀");
        SamplingParams params = SamplingParams.greedy(50).toBuilder().stopStrings("好x", "😀!").build();
        int[] script = concat(new int[]{NIHAO}, smile, new int[]{Y}, hao, new int[]{WORLD}, smile, hao, new int[]{X});
        GenerationResult result = run(scriptedSession(64, script), params);
        assertEquals("你好😀y好 world😀", result.text());
        assertEquals("好x", result.stopString());
        assertStreamMatches(result);
        // Each byte of a character arrives as its own token, yet every streamed piece holds whole characters.
        assertTrue(pieces.size() >= 4, pieces.toString());
    }

    @Test
    void cancellationFromTheListenerEndsAfterThatPiece() {
        FakeSession session = scriptedSession(64, HELLO, WORLD, BANG, EOS);
        CancellationToken cancel = new CancellationToken();
        GenerationResult result = new Generator(session, tokenizer).generate(PROMPT, SamplingParams.greedy(50),
                piece -> {
                    pieces.add(piece);
                    cancel.cancel();
                }, cancel);
        assertEquals(FinishReason.CANCELLED, result.finishReason());
        assertEquals("Hello", result.text());
        assertEquals(1, result.generatedTokens());
        assertEquals(0, result.decodeTokens());
        assertTrue(cancel.isCancelled());
    }

    @Test
    void cancelledBeforeStartRunsNothing() {
        FakeSession session = scriptedSession(64, HELLO);
        CancellationToken cancel = new CancellationToken();
        cancel.cancel();
        GenerationResult result = new Generator(session, tokenizer)
                .generate(PROMPT, SamplingParams.greedy(5), pieces::add, cancel);
        assertEquals(FinishReason.CANCELLED, result.finishReason());
        assertEquals("", result.text());
        assertTrue(session.calls.isEmpty());
    }

    @Test
    void cancellationFromAnotherThreadStopsAtTheNextStep() throws Exception {
        int[] endless = IntStream.range(0, 1000).map(i -> i % 2 == 0 ? HELLO : WORLD).toArray();
        FakeSession session = scriptedSession(2048, endless);
        CountDownLatch reachedSecondDecode = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        session.afterForward = length -> {
            if (length == PROMPT.length + 2) {
                reachedSecondDecode.countDown();
                try {
                    assertTrue(cancelled.await(30, TimeUnit.SECONDS), "canceller never answered");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        };
        CancellationToken cancel = new CancellationToken();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<GenerationResult> running = executor.submit(() -> new Generator(session, tokenizer)
                    .generate(PROMPT, SamplingParams.greedy(1000), piece -> { }, cancel));
            assertTrue(reachedSecondDecode.await(30, TimeUnit.SECONDS), "generation never reached step 2");
            cancel.cancel();
            cancelled.countDown();
            GenerationResult result = running.get(30, TimeUnit.SECONDS);
            assertEquals(FinishReason.CANCELLED, result.finishReason());
            assertArrayEquals(new int[]{HELLO, WORLD}, result.tokenIds());
            assertEquals("Hello world", result.text());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void fullContextEndsWithLengthInsteadOfAnException() {
        int[] endless = IntStream.range(0, 100).map(i -> HELLO).toArray();
        FakeSession session = scriptedSession(PROMPT.length + 3, endless);
        GenerationResult result = run(session, SamplingParams.greedy(100));
        assertEquals(FinishReason.LENGTH, result.finishReason());
        assertEquals(4, result.generatedTokens()); // three fed, the fourth sampled from the last free slot's logits
        assertEquals(session.capacity(), session.length());

        // A huge token limit is bounded by the context, not allocated.
        GenerationResult unbounded = run(scriptedSession(PROMPT.length + 3, endless),
                SamplingParams.greedy(Integer.MAX_VALUE));
        assertEquals(4, unbounded.generatedTokens());

        FakeSession exactlyFull = scriptedSession(PROMPT.length, endless);
        GenerationResult one = run(exactlyFull, SamplingParams.greedy(100));
        assertEquals(FinishReason.LENGTH, one.finishReason());
        assertEquals(1, one.generatedTokens());
    }

    @Test
    void promptsThatCannotRunAreRejectedUpFront() {
        Generator generator = new Generator(scriptedSession(2, HELLO), tokenizer);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> generator.generate(PROMPT, SamplingParams.greedy(5)));
        assertTrue(tooLong.getMessage().contains("3 tokens"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> generator.generate(new int[0], SamplingParams.greedy(5)));
        assertThrows(IllegalArgumentException.class,
                () -> generator.generate(new int[]{VOCAB}, SamplingParams.greedy(5)));
    }

    @Test
    void sessionErrorsPropagateAndTheNextCallStartsClean() {
        FakeSession session = scriptedSession(64, HELLO, WORLD, EOS);
        IllegalStateException boom = new IllegalStateException("device lost");
        session.afterForward = length -> {
            if (length == PROMPT.length + 1) {
                throw boom;
            }
        };
        Generator generator = new Generator(session, tokenizer, true);
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> generator.generate(PROMPT, SamplingParams.greedy(10)));
        assertSame(boom, thrown);

        session.afterForward = length -> { };
        session.calls.clear();
        GenerationResult result = generator.generate(PROMPT, SamplingParams.greedy(10));
        assertEquals("Hello world", result.text());
        assertEquals("truncate(0)", session.calls.get(0));
    }

    @Test
    void listenerErrorsPropagate() {
        Generator generator = new Generator(scriptedSession(64, HELLO, WORLD), tokenizer);
        assertThrows(UnsupportedOperationException.class, () -> generator.generate(PROMPT, SamplingParams.greedy(10),
                piece -> {
                    throw new UnsupportedOperationException("client went away");
                }, new CancellationToken()));
    }

    @Test
    void reusesTheCachedPrefixOfTheNextPrompt() {
        // The model's next token depends on everything cached, so a wrong reuse would change the answer.
        FakeSession.Model model = (tokens, length) -> {
            float[] logits = new float[VOCAB];
            int sum = Arrays.stream(tokens, 0, length).sum();
            logits[length == 8 || length >= 14 ? EOS : (sum % 2 == 0 ? HELLO : WORLD)] = 10f;
            return logits;
        };
        FakeSession session = new FakeSession(VOCAB, 64, model);
        FakeSession reference = new FakeSession(VOCAB, 64, model);
        Generator generator = new Generator(session, tokenizer, true);
        Generator fresh = new Generator(reference, tokenizer);

        GenerationResult first = generator.generate(PROMPT, SamplingParams.greedy(10));
        int[] followUp = concat(PROMPT, first.tokenIds(), new int[]{EOS, X});
        session.calls.clear();
        GenerationResult second = generator.generate(followUp, SamplingParams.greedy(10));

        // EOS ended the first answer, so every generated id was fed: the session held PROMPT plus all of them.
        assertEquals(FinishReason.STOP, first.finishReason());
        int kept = PROMPT.length + first.tokenIds().length;
        assertEquals("truncate(" + kept + ")", session.calls.get(0));
        assertEquals(followUp.length - kept, second.prefillTokens());
        assertEquals(followUp.length, second.promptTokens());
        GenerationResult expected = fresh.generate(followUp, SamplingParams.greedy(10));
        assertArrayEquals(expected.tokenIds(), second.tokenIds());
        assertEquals(4, second.generatedTokens());

        // The same prompt again re-runs only its last token.
        session.calls.clear();
        GenerationResult again = generator.generate(followUp, SamplingParams.greedy(10));
        assertEquals(1, again.prefillTokens());
        assertArrayEquals(second.tokenIds(), again.tokenIds());

        // After forgetCache everything is recomputed.
        generator.forgetCache();
        session.calls.clear();
        assertEquals(followUp.length, generator.generate(followUp, SamplingParams.greedy(10)).prefillTokens());
        assertEquals("truncate(0)", session.calls.get(0));
    }

    @Test
    void sampledGenerationIsReproducibleWithASeed() {
        FakeSession.Model spread = (tokens, length) -> {
            float[] logits = new float[VOCAB];
            for (int id = 259; id < VOCAB; id++) {
                logits[id] = ((id * 31 + length * 17) % 11) / 4f;
            }
            return logits;
        };
        SamplingParams params = SamplingParams.chineseAlpaca2().toBuilder().seed(2024L).maxNewTokens(30).build();
        GenerationResult a = new Generator(new FakeSession(VOCAB, 64, spread), tokenizer).generate(PROMPT, params);
        GenerationResult b = new Generator(new FakeSession(VOCAB, 64, spread), tokenizer).generate(PROMPT, params);
        assertArrayEquals(a.tokenIds(), b.tokenIds());
        assertEquals(a.text(), b.text());
        assertEquals(2024L, a.seed());
        assertEquals(30, a.generatedTokens());
    }
}
