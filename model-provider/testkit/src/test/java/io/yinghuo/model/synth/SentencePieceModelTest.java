package io.yinghuo.model.synth;

import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.tokenizer.PieceType;
import io.yinghuo.model.tokenizer.SentencePieceModel;
import io.yinghuo.model.tokenizer.SentencePieceModel.Piece;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading and writing tokenizer.model (ModelProto) and refusing what we cannot run. */
class SentencePieceModelTest {

    @Test
    void writtenModelReadsBack() {
        byte[] bytes = SentencePieceModelWriter.llama(List.of("▁中国", "▁", "中", "国")).toByteArray();
        SentencePieceModel model = SentencePieceModel.parse(bytes, "small.model");
        assertEquals(3 + 256 + 4, model.pieces().size());
        assertEquals(new Piece("<unk>", 0f, PieceType.UNKNOWN), model.pieces().get(0));
        assertEquals(new Piece("<s>", 0f, PieceType.CONTROL), model.pieces().get(1));
        assertEquals(new Piece("<0x0A>", 0f, PieceType.BYTE), model.pieces().get(3 + 10));
        assertEquals(new Piece("▁中国", 0f, PieceType.NORMAL), model.pieces().get(259));
        assertEquals(new Piece("国", -3f, PieceType.NORMAL), model.pieces().get(262));
        assertEquals(SentencePieceModel.MODEL_TYPE_BPE, model.trainerSpec().modelType());
        assertTrue(model.trainerSpec().byteFallback());
        assertEquals(-1, model.trainerSpec().padId()); // a negative int32 is a 10-byte varint
        assertEquals(1, model.trainerSpec().bosId());
        assertEquals("identity", model.normalizerSpec().name());
        assertTrue(model.normalizerSpec().addDummyPrefix());
        assertFalse(model.normalizerSpec().removeExtraWhitespaces());
        assertEquals(" ⁇ ", model.trainerSpec().unkSurface());
    }

    @Test
    void loadsFromFileOrModelDirectory(@TempDir Path dir) {
        SentencePieceModelWriter.small().write(dir.resolve("model/tokenizer.model"));
        SentencePieceTokenizer fromFile = SentencePieceTokenizer.load(dir.resolve("model/tokenizer.model"));
        SentencePieceTokenizer fromDir = SentencePieceTokenizer.load(dir.resolve("model"));
        assertEquals(512, fromFile.vocabSize());
        assertArrayEquals(fromFile.encode("你好世界"), fromDir.encode("你好世界"));
        ModelLoadException missing = assertThrows(ModelLoadException.class,
                () -> SentencePieceTokenizer.load(dir.resolve("nope.model")));
        assertTrue(missing.getMessage().contains("nope.model"), missing.getMessage());
        ModelLoadException emptyDir = assertThrows(ModelLoadException.class, () -> SentencePieceTokenizer.load(dir));
        assertTrue(emptyDir.getMessage().contains("no tokenizer.model in model directory"), emptyDir.getMessage());
    }

    @Test
    void everyTruncationIsRejectedCleanlyOrStillValid() {
        byte[] bytes = SentencePieceModelWriter.llama(List.of("▁ab", "▁", "a", "b")).toByteArray();
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            try {
                SentencePieceTokenizer.of(SentencePieceModel.parse(cut, "cut.model"));
            } catch (ModelLoadException e) {
                assertTrue(e.getMessage().contains("cut.model"), e.getMessage());
            }
        }
        // cut inside the last piece's string: a truncation error with the offset
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentencePieceModel.parse(Arrays.copyOf(bytes, 3), "cut.model"));
        assertTrue(e.getMessage().matches(".*cut\\.model.*runs past the end.*"), e.getMessage());
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherException() {
        byte[] bytes = SentencePieceModelWriter.small().toByteArray();
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            byte[] corrupt = bytes.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
            }
            try {
                SentencePieceTokenizer t = SentencePieceTokenizer.of(SentencePieceModel.parse(corrupt, "bad.model"));
                t.decode(t.encode("你好 world"));
            } catch (ModelLoadException e) {
                assertTrue(e.getMessage().contains("bad.model"), e.getMessage());
            }
        }
    }

    @Test
    void badWireTypeIsNamed() {
        // field 1 with wire type 7 (there is none)
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentencePieceModel.parse(new byte[] {0x0F, 0x00}, "wire.model"));
        assertTrue(e.getMessage().contains("wire.model") && e.getMessage().contains("wire type 7"), e.getMessage());
        // pieces (field 1) sent as a varint
        e = assertThrows(ModelLoadException.class,
                () -> SentencePieceModel.parse(new byte[] {0x08, 0x01}, "wire.model"));
        assertTrue(e.getMessage().contains("field pieces (1) has wire type 0"), e.getMessage());
    }

    @Test
    void modelWithoutPiecesIsRefused(@TempDir Path dir) throws Exception {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentencePieceModel.parse(new byte[0], "empty.model"));
        assertTrue(e.getMessage().contains("empty.model has no pieces"), e.getMessage());
        Path json = Files.writeString(dir.resolve("tokenizer.model"), "{\"model\": {\"type\": \"BPE\"}}");
        // a tokenizer.json renamed: '{' is field 15 with wire type 3 (group)
        e = assertThrows(ModelLoadException.class, () -> SentencePieceTokenizer.load(json));
        assertTrue(e.getMessage().contains(json.toString()), e.getMessage());
    }

    @Test
    void onlyBpeModelsAreAccepted() {
        byte[] unigram = SentencePieceModelWriter.llama(List.of("▁a")).modelType(1).toByteArray();
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentencePieceTokenizer.of(SentencePieceModel.parse(unigram, "t5.model")));
        assertEquals("tokenizer model t5.model is a UNIGRAM SentencePiece model; only BPE models (as LLaMA uses)"
                + " are supported", e.getMessage());
    }

    @Test
    void compiledNormalizationRulesAreRefused() {
        byte[] nfkc = SentencePieceModelWriter.llama(List.of("▁a")).normalizer("nmt_nfkc", new byte[] {1, 2, 3})
                .toByteArray();
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentencePieceTokenizer.of(SentencePieceModel.parse(nfkc, "nfkc.model")));
        assertTrue(e.getMessage().contains("'nmt_nfkc' normalizer"), e.getMessage());
    }

    @Test
    void inconsistentVocabulariesAreRefused() {
        assertRefused(new SentencePieceModelWriter().addPiece("<s>", 0, PieceType.CONTROL)
                .addPiece("</s>", 0, PieceType.CONTROL), "has no unknown piece");
        assertRefused(SentencePieceModelWriter.llama(List.of("a", "a")), "piece 'a' (id 260) is already defined as id 259");
        assertRefused(new SentencePieceModelWriter().addPiece("<unk>", 0, PieceType.UNKNOWN)
                .addPiece("<s>", 0, PieceType.CONTROL).addPiece("</s>", 0, PieceType.CONTROL)
                .addPiece("<0x41>", 0, PieceType.BYTE), "byte_fallback is false");
        assertRefused(new SentencePieceModelWriter().addPiece("<unk>", 0, PieceType.UNKNOWN)
                .addPiece("<s>", 0, PieceType.CONTROL).addPiece("</s>", 0, PieceType.CONTROL)
                .byteFallback(true), "no byte piece <0x00>");
        assertRefused(new SentencePieceModelWriter().addPiece("<unk>", 0, PieceType.UNKNOWN)
                .addPiece("</s>", 0, PieceType.CONTROL), "has no BOS piece");
        assertRefused(new SentencePieceModelWriter().addPiece("<unk>", 0, PieceType.UNKNOWN)
                .addPiece("<s>", 0, PieceType.CONTROL).addPiece("", 0, PieceType.NORMAL), "piece 2 is empty");
    }

    private static void assertRefused(SentencePieceModelWriter writer, String problem) {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentencePieceTokenizer.of(SentencePieceModel.parse(writer.toByteArray(), "x.model")));
        assertTrue(e.getMessage().startsWith("tokenizer model x.model ") && e.getMessage().contains(problem),
                e.getMessage());
    }
}
