package io.yinghuo.model.synth;

import io.yinghuo.model.tokenizer.SentencePieceModel;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.model.tokenizer.StreamingDecoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** spm_decode semantics and the streaming decoder, on the synthesized 512-piece vocabulary. */
class SentencePieceDecodeTest {
    private static SentencePieceTokenizer t;

    @BeforeAll
    static void load() {
        t = SentencePieceTokenizer.of(SentencePieceModel.parse(SentencePieceModelWriter.small().toByteArray(),
                "small.model"));
    }

    private static int b(int value) {
        return 3 + value; // <0xXX> ids in llama-shaped models
    }

    private int id(String piece) {
        return t.pieceId(piece);
    }

    @Test
    void byteRunsDecodeAsUtf8WithOneReplacementPerInvalidByte() {
        assertEquals("😀", t.decode(new int[] {b(0xF0), b(0x9F), b(0x98), b(0x80)}));
        assertEquals("\uFFFD\uFFFD", t.decode(new int[] {b(0xF3), b(0xA2)})); // cut off: each byte invalid
        assertEquals("\uFFFD\uFFFD", t.decode(new int[] {b(0xC0), b(0x80)})); // overlong
        assertEquals("\uFFFD\uFFFD\uFFFD", t.decode(new int[] {b(0xED), b(0xA0), b(0x80)})); // surrogate
        assertEquals("\uFFFD", t.decode(new int[] {b(0xFF)}));
        assertEquals("\uFFFDA", t.decode(new int[] {b(0xE4), b(0x41)})); // bad trail byte: lead invalid, 'A' kept
        assertEquals("\uFFFD", t.decode(new int[] {b(0xEF), b(0xBF), b(0xBD)})); // a real U+FFFD is valid
        // a non-byte piece ends the run: the held lead byte is invalid
        assertEquals("\uFFFD\uFFFD中", t.decode(new int[] {b(0xE4), b(0xB8), id("中")}));
        // so does a control piece, even though it prints nothing
        assertEquals("\uFFFD\uFFFD\uFFFD", t.decode(new int[] {b(0xE4), b(0xB8), 2, b(0xAD)}));
        assertEquals("中", t.decode(new int[] {b(0xE4), b(0xB8), b(0xAD)}));
    }

    @Test
    void onlyTheFirstDummySpaceIsDropped() {
        assertEquals("hello world", t.decode(new int[] {id("▁hello"), id("▁world")}));
        assertEquals("", t.decode(new int[] {id("▁")}));
        assertEquals(" ", t.decode(new int[] {id("▁"), id("▁")}));
        assertEquals(" hello", t.decode(new int[] {id("▁"), id("▁hello")}));
        assertEquals("hello", t.decode(new int[] {1, id("▁hello"), 2}));
        assertEquals("A hello", t.decode(new int[] {b('A'), id("▁hello")})); // byte text counts as text
        assertEquals("ahello", t.decode(new int[] {id("a"), id("h"), id("e"), id("l"), id("l"), id("o")}));
        assertEquals(" ⁇  hello", t.decode(new int[] {0, id("▁hello")}));
        assertEquals("", t.decode(new int[0]));
    }

    @Test
    void outOfRangeIdsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {512}));
        assertThrows(IllegalArgumentException.class, () -> t.piece(-1));
        StreamingDecoder decoder = t.streamingDecoder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> decoder.accept(99999));
        assertEquals("token id 99999 is out of range [0, 512) for tokenizer small.model", e.getMessage());
    }

    @Test
    void streamingHoldsBytesUntilTheCharacterIsComplete() {
        StreamingDecoder d = t.streamingDecoder(true);
        assertEquals("你好", d.accept(id("▁你好")));
        assertEquals("", d.accept(b(0xF0)));
        assertEquals("", d.accept(b(0x9F)));
        assertEquals("", d.accept(b(0x98)));
        assertEquals("😀", d.accept(b(0x80)));
        assertEquals("", d.accept(b(0xE4)));
        assertEquals("\uFFFDA", d.accept(b(0x41))); // proved invalid as soon as the bad trail byte arrived
        assertEquals("", d.accept(b(0xE4)));
        assertEquals("\uFFFD", d.flush()); // the run ends incomplete
        assertEquals("", d.flush());
    }

    @Test
    void continuationKeepsTheLeadingSpace() {
        StreamingDecoder d = t.streamingDecoder();
        assertEquals(" hello", d.accept(id("▁hello")));
        assertEquals(" world", d.accept(id("▁world")));
    }

    /**
     * Random sequences mixing pieces, control ids, valid multi-byte characters split into byte tokens and stray
     * bytes: the streamed pieces concatenate to decode(), and no piece ends inside a character.
     */
    @Test
    void streamingEqualsDecodeOnRandomSequences() {
        Random random = new Random(1234);
        int prefixId = id("a");
        for (int trial = 0; trial < 3000; trial++) {
            int[] ids = randomIds(random);
            StreamingDecoder fresh = t.streamingDecoder(true);
            StreamingDecoder continuation = t.streamingDecoder();
            StringBuilder freshText = new StringBuilder();
            StringBuilder continuationText = new StringBuilder();
            for (int id : ids) {
                String piece = fresh.accept(id);
                assertWellFormed(piece);
                freshText.append(piece);
                continuationText.append(continuation.accept(id));
            }
            String tail = fresh.flush();
            assertWellFormed(tail);
            freshText.append(tail);
            continuationText.append(continuation.flush());
            assertEquals(t.decode(ids), freshText.toString(), () -> "ids " + java.util.Arrays.toString(ids));
            // a continuation decodes as if some text came before: decode("a" + ids) minus the "a"
            int[] withPrefix = new int[ids.length + 1];
            withPrefix[0] = prefixId;
            System.arraycopy(ids, 0, withPrefix, 1, ids.length);
            assertEquals(t.decode(withPrefix).substring(1), continuationText.toString());
        }
    }

    private int[] randomIds(Random random) {
        List<Integer> ids = new ArrayList<>();
        int parts = random.nextInt(12);
        String[] chars = {"中", "é", "😀", "A", "€", "𠀀"};
        for (int p = 0; p < parts; p++) {
            switch (random.nextInt(6)) {
                case 0 -> ids.add(259 + random.nextInt(t.vocabSize() - 259)); // a normal piece
                case 1 -> ids.add(random.nextInt(3)); // unk, bos, eos
                case 2, 3 -> { // a whole character as bytes
                    for (byte x : chars[random.nextInt(chars.length)].getBytes(StandardCharsets.UTF_8)) {
                        ids.add(b(x & 0xFF));
                    }
                }
                case 4 -> ids.add(b(0x80 + random.nextInt(0x80))); // a stray high byte
                default -> ids.add(id("▁"));
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void assertWellFormed(String piece) {
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertFalse(i + 1 == piece.length() || !Character.isLowSurrogate(piece.charAt(i + 1)),
                        "lone high surrogate in '" + piece + "'");
                i++;
            } else {
                assertFalse(Character.isLowSurrogate(c), "lone low surrogate in '" + piece + "'");
            }
        }
    }
}
