package io.yinghuo.model.synth;

import io.yinghuo.model.tokenizer.PieceType;
import io.yinghuo.model.tokenizer.SentencePieceModel;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** BPE encoding on synthesized models (no shared files needed). Byte piece ids are 3 + byte in llama() models. */
class SentencePieceEncodeTest {

    private static SentencePieceTokenizer tokenizer(SentencePieceModelWriter writer) {
        return SentencePieceTokenizer.of(SentencePieceModel.parse(writer.toByteArray(), "test.model"));
    }

    /** Ids of pieces by text, for readable expectations. */
    private static int[] ids(SentencePieceTokenizer t, String... pieces) {
        return Arrays.stream(pieces).mapToInt(p -> {
            int id = t.pieceId(p);
            if (id < 0) {
                throw new IllegalArgumentException("no piece " + p);
            }
            return id;
        }).toArray();
    }

    @Test
    void equalScoresMergeTheLeftmostPairFirst() {
        // "▁abc": "ab" and "bc" tie; the left one wins, leaving "c".
        SentencePieceTokenizer t = tokenizer(new SentencePieceModelWriter()
                .addPiece("<unk>", 0, PieceType.UNKNOWN).addPiece("<s>", 0, PieceType.CONTROL)
                .addPiece("</s>", 0, PieceType.CONTROL)
                .addPiece("ab", -1, PieceType.NORMAL).addPiece("bc", -1, PieceType.NORMAL)
                .addPiece("▁", -5, PieceType.NORMAL).addPiece("a", -5, PieceType.NORMAL)
                .addPiece("b", -5, PieceType.NORMAL).addPiece("c", -5, PieceType.NORMAL));
        assertArrayEquals(ids(t, "▁", "ab", "c"), t.encode("abc"));
        // the tie is decided by position, not by piece id order
        SentencePieceTokenizer swapped = tokenizer(new SentencePieceModelWriter()
                .addPiece("<unk>", 0, PieceType.UNKNOWN).addPiece("<s>", 0, PieceType.CONTROL)
                .addPiece("</s>", 0, PieceType.CONTROL)
                .addPiece("bc", -1, PieceType.NORMAL).addPiece("ab", -1, PieceType.NORMAL)
                .addPiece("▁", -5, PieceType.NORMAL).addPiece("a", -5, PieceType.NORMAL)
                .addPiece("b", -5, PieceType.NORMAL).addPiece("c", -5, PieceType.NORMAL));
        assertArrayEquals(ids(swapped, "▁", "ab", "c"), swapped.encode("abc"));
    }

    @Test
    void higherScoreWinsOverPosition() {
        SentencePieceTokenizer t = tokenizer(SentencePieceModelWriter.llama(List.of("bc", "ab", "▁", "a", "b", "c")));
        assertArrayEquals(ids(t, "▁", "a", "bc"), t.encode("abc"));
    }

    @Test
    void mergesChainThroughNewPairs() {
        SentencePieceTokenizer t = tokenizer(SentencePieceModelWriter.llama(
                List.of("▁h", "▁he", "ll", "▁hell", "▁hello", "▁", "h", "e", "l", "o")));
        assertArrayEquals(ids(t, "▁hello"), t.encode("hello"));
        assertArrayEquals(ids(t, "▁hell", "▁he"), t.encode("hell he"));
    }

    @Test
    void unknownCharactersFallBackToUtf8Bytes() {
        SentencePieceTokenizer t = tokenizer(SentencePieceModelWriter.llama(List.of("▁", "a")));
        // é = C3 A9, 😀 = F0 9F 98 80; byte b has id 3 + b
        assertArrayEquals(new int[] {t.pieceId("▁"), t.pieceId("a"), 3 + 0xC3, 3 + 0xA9}, t.encode("aé"));
        assertArrayEquals(new int[] {t.pieceId("▁"), 3 + 0xF0, 3 + 0x9F, 3 + 0x98, 3 + 0x80}, t.encode("😀"));
        assertArrayEquals(new int[] {t.pieceId("▁"), 3 + '\n', t.pieceId("a")}, t.encode("\na"));
        // A lone surrogate has no UTF-8 form; it is read as U+FFFD (EF BF BD), as spm reads invalid bytes.
        assertArrayEquals(new int[] {t.pieceId("▁"), 3 + 0xEF, 3 + 0xBF, 3 + 0xBD}, t.encode("\uD83D"));
    }

    @Test
    void withoutByteFallbackUnknownRunsBecomeOneUnk() {
        SentencePieceTokenizer t = tokenizer(new SentencePieceModelWriter()
                .addPiece("<unk>", 0, PieceType.UNKNOWN).addPiece("<s>", 0, PieceType.CONTROL)
                .addPiece("</s>", 0, PieceType.CONTROL)
                .addPiece("▁x", -1, PieceType.NORMAL).addPiece("▁", -2, PieceType.NORMAL)
                .addPiece("x", -2, PieceType.NORMAL).addPiece("y", -2, PieceType.NORMAL));
        assertArrayEquals(new int[] {t.pieceId("▁x"), 0, t.pieceId("y")}, t.encode("xé€y"));
        assertArrayEquals(new int[] {t.pieceId("▁x"), 0, t.pieceId("y"), 0}, t.encode("x€y€"));
        assertEquals("x ⁇ y ⁇ ", t.decode(t.encode("x€y€")));
    }

    @Test
    void spacesAreKeptAndEscaped() {
        SentencePieceTokenizer t = tokenizer(SentencePieceModelWriter.llama(List.of("▁▁", "▁a", "▁", "a")));
        assertArrayEquals(new int[0], t.encode(""));
        assertArrayEquals(ids(t, "▁▁"), t.encode(" "));
        assertArrayEquals(ids(t, "▁▁", "▁a", "▁▁"), t.encode("  a  "));
    }

    @Test
    void removeExtraWhitespacesCollapsesAndStrips() {
        SentencePieceTokenizer t = tokenizer(SentencePieceModelWriter.llama(List.of("▁a", "▁b", "▁", "a", "b"))
                .removeExtraWhitespaces(true));
        assertArrayEquals(ids(t, "▁a", "▁b"), t.encode("   a    b   "));
        assertArrayEquals(new int[0], t.encode("    "));
        assertEquals("a b", t.decode(t.encode("   a    b   ")));
    }

    @Test
    void withoutDummyPrefixTextStartsBare() {
        SentencePieceTokenizer t = tokenizer(SentencePieceModelWriter.llama(List.of("▁a", "▁", "a"))
                .addDummyPrefix(false));
        assertArrayEquals(ids(t, "a", "▁a"), t.encode("a a"));
        assertEquals("a a", t.decode(t.encode("a a")));
    }

    @Test
    void userDefinedPiecesAreTakenWholeAndNeverMerged() {
        SentencePieceTokenizer t = tokenizer(SentencePieceModelWriter.llama(List.of("▁a", "▁", "a", "b"))
                .addPiece("<sep>", 0, PieceType.USER_DEFINED)
                .addPiece("▁<", 0, PieceType.NORMAL));
        assertArrayEquals(ids(t, "▁a", "<sep>", "b"), t.encode("a<sep>b"));
        assertArrayEquals(ids(t, "▁", "<sep>"), t.encode("<sep>")); // "▁<" would merge, but <sep> is frozen
    }

    @Test
    void unusedPiecesMergeButAreSplitBack() {
        SentencePieceTokenizer t = tokenizer(SentencePieceModelWriter.llama(List.of("▁abc", "▁", "a", "b", "c", "d"))
                .addPiece("▁a", -0.5f, PieceType.NORMAL)
                .addPiece("▁ab", -0.1f, PieceType.UNUSED));
        assertArrayEquals(ids(t, "▁abc"), t.encode("abc")); // through the unused "▁ab"
        assertArrayEquals(ids(t, "▁a", "b", "d"), t.encode("abd")); // "▁ab" is split into what it was merged from
    }

    @Test
    void smallVocabularyEncodesEnglishAndChinese() {
        SentencePieceTokenizer t = tokenizer(SentencePieceModelWriter.small());
        assertEquals(SentencePieceModelWriter.SMALL_VOCAB_SIZE, t.vocabSize());
        assertArrayEquals(ids(t, "▁hello", "▁world"), t.encode("hello world"));
        assertArrayEquals(ids(t, "▁中国", "人民", "银行"), t.encode("中国人民银行"));
        assertArrayEquals(ids(t, "▁北京", "是中国", "的", "首都", "。"), t.encode("北京是中国的首都。"));
        assertEquals("北京是中国的首都。", t.decode(t.encode("北京是中国的首都。")));
        // every multi-character NORMAL piece can be reached: some split of it is two pieces
        for (int id = 0; id < t.vocabSize(); id++) {
            String piece = t.piece(id);
            if (t.pieceType(id) != PieceType.NORMAL || piece.codePointCount(0, piece.length()) < 2) {
                continue;
            }
            boolean reachable = false;
            for (int cut = 1; cut < piece.length() && !reachable; cut++) {
                reachable = t.pieceId(piece.substring(0, cut)) >= 0 && t.pieceId(piece.substring(cut)) >= 0;
            }
            assertEquals(true, reachable, piece);
        }
    }

    /**
     * The heap-and-linked-list encoder against the textbook algorithm (rescan all adjacent pairs, merge the best,
     * leftmost on ties) on random text over a vocabulary full of equal scores.
     */
    @Test
    void matchesNaiveBpeOnRandomText() {
        Random random = new Random(42);
        String alphabet = "▁abcd";
        List<String> merges = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int len = 2 + random.nextInt(3);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (!merges.contains(sb.toString())) {
                merges.add(sb.toString());
            }
        }
        SentencePieceModelWriter writer = new SentencePieceModelWriter()
                .addPiece("<unk>", 0, PieceType.UNKNOWN).addPiece("<s>", 0, PieceType.CONTROL)
                .addPiece("</s>", 0, PieceType.CONTROL).addBytePieces();
        Map<String, Float> scores = new HashMap<>();
        for (String merge : merges) {
            float score = -random.nextInt(4); // many ties
            writer.addPiece(merge, score, PieceType.NORMAL);
            scores.put(merge, score);
        }
        for (char c : "▁abc".toCharArray()) { // 'd' stays unknown -> byte fallback
            writer.addPiece(String.valueOf(c), -10, PieceType.NORMAL);
        }
        SentencePieceTokenizer t = tokenizer(writer);
        for (int trial = 0; trial < 2000; trial++) {
            StringBuilder text = new StringBuilder();
            int len = random.nextInt(40);
            for (int k = 0; k < len; k++) {
                text.append(" abcd".charAt(random.nextInt(5)));
            }
            int[] expected = naiveBpe(t, scores, text.toString());
            assertArrayEquals(expected, t.encode(text.toString()), "text '" + text + "'");
        }
    }

    private static int[] naiveBpe(SentencePieceTokenizer t, Map<String, Float> scores, String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        List<String> symbols = new ArrayList<>();
        for (char c : ("▁" + text.replace(' ', '▁')).toCharArray()) {
            symbols.add(String.valueOf(c));
        }
        while (true) {
            int best = -1;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Float score = scores.get(symbols.get(i) + symbols.get(i + 1));
                if (score != null && score > bestScore) {
                    best = i;
                    bestScore = score;
                }
            }
            if (best < 0) {
                break;
            }
            symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
        }
        List<Integer> ids = new ArrayList<>();
        for (String s : symbols) {
            int id = t.pieceId(s);
            if (id >= 0) {
                ids.add(id);
            } else {
                for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    ids.add(3 + (b & 0xFF));
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
