package io.yinghuo.model.tokenizer;

import io.yinghuo.model.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The real Chinese-LLaMA-2 tokenizer (ymcui/Chinese-LLaMA-Alpaca-2 scripts/tokenizer/tokenizer.model) against ids
 * that {@code spm_encode --output_format=id} of sentencepiece 0.1.97 gives for the same text, and the special ids
 * of that file ({@code <unk>} 0, {@code <s>} 1, {@code </s>} 2, byte pieces 3 + byte).
 */
class ChineseLlama2ExamplesTest {
    private static SentencePieceTokenizer tokenizer;

    @BeforeAll
    static void load() {
        if (SharedData.isPresent()) {
            tokenizer = SentencePieceTokenizer.load(SharedData.chineseLlama2Tokenizer());
        }
    }

    @BeforeEach
    void requireSharedData() {
        SharedData.require();
    }

    private static int[] ids(String spaceSeparated) {
        return spaceSeparated.isBlank() ? new int[0]
                : Arrays.stream(spaceSeparated.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void vocabularyLayout() {
        assertEquals(55296, tokenizer.vocabSize());
        assertEquals(0, tokenizer.unkId());
        assertEquals(1, tokenizer.bosId());
        assertEquals(2, tokenizer.eosId());
        assertEquals(PieceType.UNKNOWN, tokenizer.pieceType(0));
        assertEquals(PieceType.CONTROL, tokenizer.pieceType(1));
        assertEquals("<0x00>", tokenizer.piece(3));
        assertEquals("<0xFF>", tokenizer.piece(258));
        assertEquals(PieceType.BYTE, tokenizer.pieceType(13));
        assertEquals("▁▁", tokenizer.piece(259));
        assertEquals(-1e9f, tokenizer.score(259));
        assertEquals("<pad>", tokenizer.piece(32000));
        assertEquals(PieceType.NORMAL, tokenizer.pieceType(32000));
        assertEquals(15043, tokenizer.pieceId("▁Hello"));
        assertEquals(34984, tokenizer.pieceId("▁中国"));
        assertEquals(-1, tokenizer.pieceId("no such piece"));
        assertEquals(0f, tokenizer.score(40000));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "中国的首都是北京。|34984 30210 35983 30392 32139 30267",
        "北京是中国的首都。|39061 35547 30210 35983 30267",
        "中国人民银行|34984 33043 32199",
        "你好，请介绍一下你自己。|32732 31076 30214 31088 42002 36493 30267",
        "为什么要减少污染，保护环境？|32581 30698 32740 34365 30214 32506 32306 30882",
        "你好，世界！Hello world|32732 31076 30214 32109 30584 10994 3186",
        "数字12345和emoji😀|29871 33456 29896 29906 29941 29946 29945 30503 15810 2397 243 162 155 131",
        "'x  y'|921 29871 343",
        "[/INST]|518 29914 25580 29962",
        "[INST] hello|518 25580 29962 22172",
    })
    void spmEncodeExamples(String text, String expected) {
        assertArrayEquals(ids(expected), tokenizer.encode(text), text);
    }

    @Test
    void whitespaceExamples() {
        assertArrayEquals(new int[] {263, 13, 29890}, tokenizer.encode("a\nb")); // ▁a <0x0A> b
        assertArrayEquals(new int[] {259}, tokenizer.encode(" ")); // ▁▁
        assertArrayEquals(new int[0], tokenizer.encode(""));
        for (String text : new String[] {"\t", "\r", "a\r\n", "  leading", "trailing  ", "x \u3000 y"}) {
            assertEquals(text, tokenizer.decode(tokenizer.encode(text)), text);
        }
    }

    @Test
    void specialStringsArePlainTextForSpm() {
        // spm_encode never recognises <s> (only the HF tokenizer splits on special strings): it is "▁<", "s", ">".
        int[] ids = tokenizer.encode("<s>");
        assertEquals("<s>", tokenizer.decode(ids));
        assertEquals(false, Arrays.stream(ids).anyMatch(id -> id == 1));
    }

    /**
     * The full Chinese-Alpaca-2 default prompt
     * ({@code "[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{instruction} [/INST]"}, scripts/inference/inference_hf.py),
     * ids from spm_encode.
     */
    @Test
    void alpaca2DefaultPrompt() {
        String prompt = "[INST] <<SYS>>\nYou are a helpful assistant. 你是一个乐于助人的助手。\n<</SYS>>\n\n"
                + "为什么要减少污染，保护环境？ [/INST]";
        int[] expected = ids("518 25580 29962 3532 14816 29903 6778 13 3492 526 263 8444 20255 29889 32732 32475"
                + " 31616 30909 31931 32764 40742 30267 13 29966 829 14816 29903 6778 13 13 35815 32740 34365 30214"
                + " 32506 32306 30882 518 29914 25580 29962");
        assertArrayEquals(expected, tokenizer.encode(prompt));
        int[] withBos = new int[expected.length + 1];
        withBos[0] = 1;
        System.arraycopy(expected, 0, withBos, 1, expected.length);
        assertArrayEquals(withBos, tokenizer.encodePrompt(prompt));
        assertEquals(prompt, tokenizer.decode(expected));
    }

    /** The documented HF example (transformers tokenization_llama.py, legacy=True). */
    @Test
    void hfLegacyPromptSplitsSpecialTokens() {
        assertArrayEquals(new int[] {1, 15043, 29871, 1, 869}, tokenizer.encodePrompt("Hello <s>."));
    }

    @Test
    void multiTurnPromptMapsEosAndBosStrings() {
        String prompt = "[INST] 你好 [/INST] 你好！</s><s>[INST] 北京 [/INST]";
        int[] ids = tokenizer.encodePrompt(prompt);
        int[] expected = concat(new int[] {1}, tokenizer.encode("[INST] 你好 [/INST] 你好！"), new int[] {2, 1},
                tokenizer.encode("[INST] 北京 [/INST]"));
        assertArrayEquals(expected, ids);
    }

    @Test
    void padTokenFromSpecialTokensMap() {
        assertEquals(32000, tokenizer.promptSpecialTokens().get("<pad>"));
        assertArrayEquals(concat(new int[] {1}, tokenizer.encode("a"), new int[] {32000}, tokenizer.encode("b")),
                tokenizer.encodePrompt("a<pad>b"));
        // spm itself has no such rule: <pad> is spelled out piece by piece... or merged as the NORMAL piece it is
        assertEquals("a<pad>b", tokenizer.decode(tokenizer.encode("a<pad>b")));
    }

    @Test
    void decodeByteRunsLikeSpmDecode() {
        assertEquals("😀", tokenizer.decode(new int[] {243, 162, 155, 131}));
        assertEquals("\uFFFD\uFFFD", tokenizer.decode(new int[] {243, 162}));
        assertEquals("中国", tokenizer.decode(new int[] {34984})); // the dummy "▁" is dropped
        assertEquals("", tokenizer.decode(new int[] {29871}));
        assertEquals(" 中国", tokenizer.decode(new int[] {29871, 34984}));
        assertEquals("中国", tokenizer.decode(new int[] {1, 34984, 2}));
        assertEquals(" ⁇ ", tokenizer.decode(new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {55296}));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {-1}));
    }

    @Test
    void streamingAnswerKeepsOrDropsItsLeadingSpace() {
        int[] answer = tokenizer.encode("你好！我是助手。");
        assertEquals("▁你", tokenizer.piece(answer[0])); // the answer starts with the dummy "▁"
        StreamingDecoder continuation = tokenizer.streamingDecoder();
        StreamingDecoder fresh = tokenizer.streamingDecoder(true);
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int id : answer) {
            a.append(continuation.accept(id));
            b.append(fresh.accept(id));
        }
        a.append(continuation.flush());
        b.append(fresh.flush());
        assertEquals(" 你好！我是助手。", a.toString());
        assertEquals("你好！我是助手。", b.toString());
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
