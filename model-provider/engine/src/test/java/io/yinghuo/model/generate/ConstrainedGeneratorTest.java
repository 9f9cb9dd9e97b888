package io.yinghuo.model.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.model.constrain.JsonGrammar;
import io.yinghuo.model.constrain.TokenConstraint;
import io.yinghuo.model.constrain.TokenVocabulary;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How {@link Generator} drives a {@link TokenConstraint}: masking, the end of the text, the token limit. */
class ConstrainedGeneratorTest {

    private static final int[] PROMPT = {FakeTokenizer.BOS, FakeTokenizer.HELLO};

    /** FakeTokenizer's vocabulary as bytes: byte tokens, word pieces with "▁" as a space; unk/BOS/EOS none. */
    private static TokenVocabulary vocabulary() {
        byte[][] bytes = new byte[FakeTokenizer.VOCAB][];
        for (int b = 0; b < 256; b++) {
            bytes[FakeTokenizer.byteToken(b)] = new byte[] {(byte) b};
        }
        for (int i = 0; i < FakeTokenizer.PIECES.size(); i++) {
            bytes[259 + i] = FakeTokenizer.PIECES.get(i).replace('▁', ' ').getBytes(StandardCharsets.UTF_8);
        }
        return new TokenVocabulary(bytes, FakeTokenizer.EOS);
    }

    private static TokenConstraint booleanConstraint() {
        return JsonGrammar.forSchema(new ObjectMapper().createObjectNode()
                .put("type", "boolean")).newConstraint(vocabulary());
    }

    @Test
    void theConstraintOverridesTheModelAndEndsWithStopOnceComplete() {
        // The model always wants "▁Hello" (logit 10; all else 0); greedy then takes the lowest allowed id: the
        // droppable leading space (byte token 0x20), then "f" before "t", then the rest of "false".
        FakeSession session = new FakeSession(FakeTokenizer.VOCAB, 64,
                FakeSession.scripted(FakeTokenizer.VOCAB, PROMPT.length, new int[40]));
        GenerationResult r = new Generator(session, new FakeTokenizer()).generate(PROMPT, SamplingParams.greedy(20),
                booleanConstraint(), TextStreamListener.NONE, new CancellationToken());
        assertEquals("false", r.text());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertArrayEquals(FakeTokenizer.byteTokens(" false"), r.tokenIds());
        assertEquals(r.generatedTokens() - 1, r.decodeTokens(), "no forward pass for the forced EOS");
    }

    @Test
    void runningOutOfTokensIsLength() {
        FakeSession session = new FakeSession(FakeTokenizer.VOCAB, 64,
                FakeSession.scripted(FakeTokenizer.VOCAB, PROMPT.length, new int[40]));
        GenerationResult r = new Generator(session, new FakeTokenizer()).generate(PROMPT, SamplingParams.greedy(3),
                booleanConstraint(), TextStreamListener.NONE, new CancellationToken());
        assertEquals("fa", r.text());
        assertEquals(FinishReason.LENGTH, r.finishReason());
    }

    @Test
    void withoutAConstraintNothingChanges() {
        FakeSession session = new FakeSession(FakeTokenizer.VOCAB, 64,
                FakeSession.scripted(FakeTokenizer.VOCAB, PROMPT.length, FakeTokenizer.HELLO, FakeTokenizer.WORLD));
        GenerationResult r = new Generator(session, new FakeTokenizer()).generate(PROMPT, SamplingParams.greedy(20),
                null, TextStreamListener.NONE, new CancellationToken());
        assertEquals("Hello world", r.text());
        assertEquals(FinishReason.STOP, r.finishReason());
    }

    @Test
    void aConstraintForALargerVocabularyIsRefused() {
        FakeSession session = new FakeSession(FakeTokenizer.VOCAB - 1, 64, (tokens, length) -> new float[0]);
        assertThrows(IllegalArgumentException.class, () -> new Generator(session, new FakeTokenizer()).generate(
                new int[] {FakeTokenizer.BOS}, SamplingParams.greedy(2), booleanConstraint(),
                TextStreamListener.NONE, new CancellationToken()));
    }
}
