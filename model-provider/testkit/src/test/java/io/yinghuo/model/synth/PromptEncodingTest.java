package io.yinghuo.model.synth;

import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.tokenizer.PieceType;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * encodePrompt on a synthesized model, as the Hugging Face slow {@code LlamaTokenizer} with legacy=True encodes a
 * prompt: the text is cut at the special-token strings ({@code PreTrainedTokenizer.tokenize} in transformers'
 * src/transformers/tokenization_utils.py), each remaining chunk is encoded by SentencePiece on its own (so each gets
 * its dummy prefix), and BOS is put first (src/transformers/models/llama/tokenization_llama.py).
 */
class PromptEncodingTest {

    private static Path modelDir(Path dir) {
        SentencePieceModelWriter.small().addPiece("<pad>", 0, PieceType.NORMAL).write(dir.resolve("tokenizer.model"));
        return dir;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void splitsOnControlAndUnknownPiecesEachChunkWithItsDummyPrefix(@TempDir Path dir) {
        SentencePieceTokenizer t = SentencePieceTokenizer.load(modelDir(dir));
        assertEquals(Map.of("<unk>", 0, "<s>", 1, "</s>", 2), t.promptSpecialTokens());
        // "Hello <s>." -> BOS, spm("Hello "), <s>, spm(".")  (nothing is stripped around the token)
        assertArrayEquals(concat(new int[] {1}, t.encode("Hello "), new int[] {1}, t.encode(".")),
                t.encodePrompt("Hello <s>."));
        assertArrayEquals(concat(new int[] {1}, t.encode("你好"), new int[] {2, 1}, t.encode("[INST] 北京")),
                t.encodePrompt("你好</s><s>[INST] 北京"));
        assertArrayEquals(new int[] {1, 1, 0, 2}, t.encodePrompt("<s><unk></s>")); // empty chunks give nothing
        assertArrayEquals(new int[] {1}, t.encodePrompt(""));
        assertArrayEquals(concat(new int[] {1}, t.encode("<s"), new int[] {2}), t.encodePrompt("<s</s>"));
    }

    @Test
    void readsHfSideFiles(@TempDir Path dir) throws IOException {
        modelDir(dir);
        Files.writeString(dir.resolve("special_tokens_map.json"),
                "{\"bos_token\": {\"content\": \"<s>\", \"lstrip\": false, \"rstrip\": false},"
                        + " \"pad_token\": \"<pad>\", \"additional_special_tokens\": [\"<ghost>\"]}");
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"add_bos_token\": true, \"add_eos_token\": true, \"bos_token\": {\"__type\": \"AddedToken\","
                        + " \"content\": \"<s>\"}, \"pad_token\": null}");
        Files.writeString(dir.resolve("added_tokens.json"), "{\"<sep>\": 100, \"<huge>\": 60000}");
        SentencePieceTokenizer t = SentencePieceTokenizer.load(dir);
        int pad = t.pieceId("<pad>");
        assertEquals(512, pad);
        Map<String, Integer> special = t.promptSpecialTokens();
        assertEquals(pad, special.get("<pad>"));
        assertEquals(100, special.get("<sep>"));
        assertEquals(false, special.containsKey("<ghost>")); // neither a piece nor given an id
        assertEquals(false, special.containsKey("<huge>")); // outside the vocabulary: stays text
        assertArrayEquals(concat(new int[] {1}, t.encode("a"), new int[] {pad}, t.encode("b"), new int[] {100, 2}),
                t.encodePrompt("a<pad>b<sep>"));
    }

    @Test
    void honoursStripFlagsAndAddBosFalse(@TempDir Path dir) throws IOException {
        modelDir(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"add_bos_token\": false, \"eos_token\": {\"content\": \"</s>\", \"lstrip\": true,"
                        + " \"rstrip\": true}}");
        SentencePieceTokenizer t = SentencePieceTokenizer.load(dir);
        assertArrayEquals(concat(t.encode("a"), new int[] {2}, t.encode("b")), t.encodePrompt("a  </s>  b"));
    }

    @Test
    void brokenJsonNamesTheFile(@TempDir Path dir) throws IOException {
        modelDir(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": tru");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentencePieceTokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
    }
}
