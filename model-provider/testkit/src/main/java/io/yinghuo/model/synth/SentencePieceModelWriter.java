package io.yinghuo.model.synth;

import io.yinghuo.model.tokenizer.PieceType;
import io.yinghuo.model.tokenizer.SentencePieceModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a SentencePiece {@code tokenizer.model} (a {@code ModelProto}, google/sentencepiece:
 * src/sentencepiece_model.proto), so that tests and synthetic checkpoints have a real, loadable tokenizer without
 * the shared model files. The output is what spm itself would load: pieces, a BPE {@code trainer_spec} and an
 * identity {@code normalizer_spec}.
 *
 * <pre>{@code
 * byte[] model = SentencePieceModelWriter.llama(List.of("▁t", "he", "▁the")).toByteArray();
 * SentencePieceModelWriter.small().write(dir.resolve("tokenizer.model"));
 * }</pre>
 */
public final class SentencePieceModelWriter {
    /** Size of the vocabulary {@link #small()} builds. */
    public static final int SMALL_VOCAB_SIZE = 512;

    private record Entry(String piece, float score, PieceType type) {
    }

    private final List<Entry> pieces = new ArrayList<>();
    private int modelType = SentencePieceModel.MODEL_TYPE_BPE;
    private boolean byteFallback;
    private boolean addDummyPrefix = true;
    private boolean removeExtraWhitespaces;
    private String normalizerName = "identity";
    private byte[] precompiledCharsmap = new byte[0];

    /** An empty BPE model: identity normalizer with a dummy prefix, whitespace kept, no byte fallback. */
    public SentencePieceModelWriter() {
    }

    /**
     * A LLaMA-shaped model: {@code <unk>}, {@code <s>}, {@code </s>}, the 256 byte pieces (byte fallback on), then
     * {@code normalPieces} as NORMAL pieces scored 0, -1, -2, ... (earlier = merged first, as in LLaMA). BPE can only
     * produce a multi-character piece when some split of it into two pieces is itself reachable; see {@link #small()}.
     */
    public static SentencePieceModelWriter llama(List<String> normalPieces) {
        SentencePieceModelWriter writer = new SentencePieceModelWriter()
                .addPiece("<unk>", 0f, PieceType.UNKNOWN)
                .addPiece("<s>", 0f, PieceType.CONTROL)
                .addPiece("</s>", 0f, PieceType.CONTROL)
                .addBytePieces();
        for (int i = 0; i < normalPieces.size(); i++) {
            writer.addPiece(normalPieces.get(i), -i, PieceType.NORMAL);
        }
        return writer;
    }

    /**
     * A ready {@value #SMALL_VOCAB_SIZE}-piece LLaMA-shaped vocabulary: the 259 special and byte pieces, merges for
     * some English and Chinese words (with every prefix, so BPE reaches them: "▁h", "▁he", ... "▁hello"), "▁", ASCII
     * letters, digits and punctuation, Chinese punctuation and common Chinese characters. Text outside it falls back
     * to byte pieces, as rare characters do in the real model.
     */
    public static SentencePieceModelWriter small() {
        String[] words = {
            "▁the", "▁and", "▁is", "▁of", "▁to", "▁in", "▁a", "▁you", "▁hello", "▁world", "▁Hello", "▁[", "INST",
            "er", "in", "on", "an", "at", "ing", "ed", "▁中国", "▁北京", "▁你好", "中国", "北京", "人民", "银行", "首都",
            "是中国", "你好", "世界", "我们", "问题", "什么", "时间", "学生", "大学", "可以", "没有", "知道"};
        Set<String> merges = new LinkedHashSet<>();
        for (String word : words) {
            int[] codePoints = word.codePoints().toArray();
            for (int end = 2; end <= codePoints.length; end++) {
                merges.add(new String(codePoints, 0, end));
            }
        }
        Set<String> singles = new LinkedHashSet<>();
        for (String word : words) { // the characters of the merges first, so that each is a piece too
            word.codePoints().forEach(cp -> singles.add(new String(Character.toChars(cp))));
        }
        String ascii = "▁abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?:;'\"()-[]/<>";
        String chinese = "，。？！：；“”（）、的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会"
                + "自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已"
                + "老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新"
                + "什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书"
                + "比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各"
                + "任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连";
        (ascii + chinese).codePoints().forEach(cp -> singles.add(new String(Character.toChars(cp))));
        List<String> normal = new ArrayList<>(merges);
        int room = SMALL_VOCAB_SIZE - 259 - normal.size();
        for (String single : singles) {
            if (room == 0) {
                break;
            }
            if (!merges.contains(single)) {
                normal.add(single);
                room--;
            }
        }
        if (room != 0) {
            throw new IllegalStateException("character pool too small for " + SMALL_VOCAB_SIZE + " pieces");
        }
        return llama(normal);
    }

    public SentencePieceModelWriter addPiece(String piece, float score, PieceType type) {
        pieces.add(new Entry(piece, score, type));
        return this;
    }

    /** Adds {@code <0x00>} ... {@code <0xFF>} (type BYTE, score 0) and turns byte fallback on. */
    public SentencePieceModelWriter addBytePieces() {
        for (int b = 0; b < 256; b++) {
            addPiece(bytePiece(b), 0f, PieceType.BYTE);
        }
        byteFallback = true;
        return this;
    }

    /**
     * The BYTE piece of byte {@code b}: {@code <0xXX>} with two upper-case hex digits, as spm's {@code ByteToPiece}
     * spells it (google/sentencepiece, src/model_interface.cc).
     */
    static String bytePiece(int b) {
        return String.format("<0x%02X>", b);
    }

    public SentencePieceModelWriter byteFallback(boolean on) {
        byteFallback = on;
        return this;
    }

    /** {@code TrainerSpec.model_type}: 1 unigram, 2 BPE (default here), 3 word, 4 char. */
    public SentencePieceModelWriter modelType(int type) {
        modelType = type;
        return this;
    }

    public SentencePieceModelWriter addDummyPrefix(boolean on) {
        addDummyPrefix = on;
        return this;
    }

    public SentencePieceModelWriter removeExtraWhitespaces(boolean on) {
        removeExtraWhitespaces = on;
        return this;
    }

    /** A named normalizer with compiled rules (e.g. "nmt_nfkc"); the tokenizer refuses such models. */
    public SentencePieceModelWriter normalizer(String name, byte[] compiledRules) {
        normalizerName = name;
        precompiledCharsmap = compiledRules.clone();
        return this;
    }

    public int size() {
        return pieces.size();
    }

    public byte[] toByteArray() {
        ProtobufWriter model = new ProtobufWriter();
        for (Entry entry : pieces) {
            ProtobufWriter piece = new ProtobufWriter().string(1, entry.piece()).float32(2, entry.score());
            if (entry.type() != PieceType.NORMAL) {
                piece.int32(3, entry.type().protoNumber());
            }
            model.message(1, piece);
        }
        ProtobufWriter trainer = new ProtobufWriter()
                .int32(3, modelType)
                .int32(4, pieces.size())
                .bool(35, byteFallback)
                .int32(40, indexOf(PieceType.UNKNOWN, "<unk>"))
                .int32(41, indexOf(PieceType.CONTROL, "<s>"))
                .int32(42, indexOf(PieceType.CONTROL, "</s>"))
                .int32(43, -1);
        model.message(2, trainer);
        ProtobufWriter normalizer = new ProtobufWriter().string(1, normalizerName);
        if (precompiledCharsmap.length > 0) {
            normalizer.bytes(2, precompiledCharsmap);
        }
        normalizer.bool(3, addDummyPrefix).bool(4, removeExtraWhitespaces).bool(5, true);
        model.message(3, normalizer);
        return model.toByteArray();
    }

    /** Writes the model to {@code file} (creating parent directories) and returns {@code file}. */
    public Path write(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.write(file, toByteArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer model " + file, e);
        }
    }

    private int indexOf(PieceType type, String piece) {
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i).type() == type && pieces.get(i).piece().equals(piece)) {
                return i;
            }
        }
        return -1;
    }
}
