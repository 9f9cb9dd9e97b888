package io.yinghuo.model.tokenizer;

import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.tokenizer.ProtobufReader.MalformedProtobufException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a SentencePiece {@code tokenizer.model} (a serialized {@code ModelProto}, google/sentencepiece:
 * src/sentencepiece_model.proto) that encoding and decoding depend on, read without protobuf-java (see
 * {@link ProtobufReader}). Only the wire format is checked here; whether the model is one we can run (BPE, identity
 * normalizer, ...) is decided by {@link SentencePieceTokenizer}.
 *
 * @param source name of the file (or other origin) for error messages
 */
public record SentencePieceModel(String source, List<Piece> pieces, TrainerSpec trainerSpec,
                                 NormalizerSpec normalizerSpec, NormalizerSpec denormalizerSpec) {

    /** {@code TrainerSpec.ModelType} numbers. */
    public static final int MODEL_TYPE_UNIGRAM = 1;
    public static final int MODEL_TYPE_BPE = 2;
    public static final int MODEL_TYPE_WORD = 3;
    public static final int MODEL_TYPE_CHAR = 4;

    /** One vocabulary entry; its id is its index in {@link #pieces()}. */
    public record Piece(String text, float score, PieceType type) {
    }

    /**
     * The trainer options that matter at run time, with the proto's defaults where a field is absent
     * (note {@code model_type} defaults to UNIGRAM).
     */
    public record TrainerSpec(int modelType, int vocabSize, boolean byteFallback, boolean treatWhitespaceAsSuffix,
                              int unkId, int bosId, int eosId, int padId,
                              String unkPiece, String bosPiece, String eosPiece, String padPiece,
                              String unkSurface) {
        public static final String DEFAULT_UNK_SURFACE = " \u2047 ";

        static TrainerSpec defaults() {
            return new TrainerSpec(MODEL_TYPE_UNIGRAM, 8000, false, false, 0, 1, 2, -1,
                    "<unk>", "<s>", "</s>", "<pad>", DEFAULT_UNK_SURFACE);
        }
    }

    /**
     * Normalizer options. {@code precompiledCharsmapBytes} is the size of the compiled normalization rules (0 for the
     * "identity" normalizer LLaMA uses).
     */
    public record NormalizerSpec(String name, int precompiledCharsmapBytes, boolean addDummyPrefix,
                                 boolean removeExtraWhitespaces, boolean escapeWhitespaces) {
        static NormalizerSpec defaults() {
            return new NormalizerSpec("", 0, true, true, true);
        }
    }

    public SentencePieceModel {
        pieces = List.copyOf(pieces);
    }

    /** Reads and parses a {@code tokenizer.model} file. */
    public static SentencePieceModel read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("tokenizer model not found: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer model " + file, e);
        }
        return parse(bytes, file.toString());
    }

    /**
     * Parses a serialized {@code ModelProto}.
     *
     * @throws ModelLoadException naming {@code source} when the bytes are not a well-formed ModelProto or hold no
     *                            pieces
     */
    public static SentencePieceModel parse(byte[] bytes, String source) {
        try {
            return parseModelProto(new ProtobufReader(bytes), source);
        } catch (MalformedProtobufException e) {
            throw new ModelLoadException("tokenizer model " + source + " is not a valid SentencePiece ModelProto: "
                    + e.getMessage());
        }
    }

    private static SentencePieceModel parseModelProto(ProtobufReader in, String source) {
        List<Piece> pieces = new ArrayList<>();
        TrainerSpec trainer = TrainerSpec.defaults();
        NormalizerSpec normalizer = NormalizerSpec.defaults();
        NormalizerSpec denormalizer = null;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (ProtobufReader.fieldNumber(tag)) {
                case 1 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_LENGTH_DELIMITED, "pieces");
                    pieces.add(parsePiece(in.readMessage(), pieces.size()));
                }
                case 2 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_LENGTH_DELIMITED, "trainer_spec");
                    trainer = parseTrainerSpec(in.readMessage());
                }
                case 3 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_LENGTH_DELIMITED, "normalizer_spec");
                    normalizer = parseNormalizerSpec(in.readMessage());
                }
                case 5 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_LENGTH_DELIMITED, "denormalizer_spec");
                    denormalizer = parseNormalizerSpec(in.readMessage());
                }
                default -> in.skipField(tag); // 4 = self_test_data, extensions
            }
        }
        if (pieces.isEmpty()) {
            throw new ModelLoadException("tokenizer model " + source + " has no pieces (is it a SentencePiece model?)");
        }
        return new SentencePieceModel(source, pieces, trainer, normalizer, denormalizer);
    }

    private static Piece parsePiece(ProtobufReader in, int id) {
        String text = "";
        float score = 0f;
        PieceType type = PieceType.NORMAL;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (ProtobufReader.fieldNumber(tag)) {
                case 1 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_LENGTH_DELIMITED, "piece");
                    text = in.readString();
                }
                case 2 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_FIXED32, "score");
                    score = in.readFloat();
                }
                case 3 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_VARINT, "type");
                    int number = in.readInt32();
                    type = PieceType.fromProtoNumber(number);
                    if (type == null) {
                        throw new MalformedProtobufException("piece " + id + " has unknown type " + number,
                                in.position());
                    }
                }
                default -> in.skipField(tag);
            }
        }
        return new Piece(text, score, type);
    }

    private static TrainerSpec parseTrainerSpec(ProtobufReader in) {
        TrainerSpec d = TrainerSpec.defaults();
        int modelType = d.modelType();
        int vocabSize = d.vocabSize();
        boolean byteFallback = d.byteFallback();
        boolean whitespaceAsSuffix = d.treatWhitespaceAsSuffix();
        int unkId = d.unkId();
        int bosId = d.bosId();
        int eosId = d.eosId();
        int padId = d.padId();
        String unkPiece = d.unkPiece();
        String bosPiece = d.bosPiece();
        String eosPiece = d.eosPiece();
        String padPiece = d.padPiece();
        String unkSurface = d.unkSurface();
        while (in.hasMore()) {
            int tag = in.readTag();
            int field = ProtobufReader.fieldNumber(tag);
            switch (field) {
                case 3, 4, 24, 35, 40, 41, 42, 43 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_VARINT, "trainer_spec." + field);
                    long v = in.readVarint();
                    switch (field) {
                        case 3 -> modelType = (int) v;
                        case 4 -> vocabSize = (int) v;
                        case 24 -> whitespaceAsSuffix = v != 0;
                        case 35 -> byteFallback = v != 0;
                        case 40 -> unkId = (int) v;
                        case 41 -> bosId = (int) v;
                        case 42 -> eosId = (int) v;
                        default -> padId = (int) v;
                    }
                }
                case 44, 45, 46, 47, 48 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_LENGTH_DELIMITED, "trainer_spec." + field);
                    String s = in.readString();
                    switch (field) {
                        case 44 -> unkSurface = s;
                        case 45 -> unkPiece = s;
                        case 46 -> bosPiece = s;
                        case 47 -> eosPiece = s;
                        default -> padPiece = s;
                    }
                }
                default -> in.skipField(tag);
            }
        }
        return new TrainerSpec(modelType, vocabSize, byteFallback, whitespaceAsSuffix, unkId, bosId, eosId, padId,
                unkPiece, bosPiece, eosPiece, padPiece, unkSurface);
    }

    private static NormalizerSpec parseNormalizerSpec(ProtobufReader in) {
        NormalizerSpec d = NormalizerSpec.defaults();
        String name = d.name();
        int charsmapBytes = 0;
        boolean addDummyPrefix = d.addDummyPrefix();
        boolean removeExtraWhitespaces = d.removeExtraWhitespaces();
        boolean escapeWhitespaces = d.escapeWhitespaces();
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (ProtobufReader.fieldNumber(tag)) {
                case 1 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_LENGTH_DELIMITED, "normalizer_spec.name");
                    name = in.readString();
                }
                case 2 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_LENGTH_DELIMITED,
                            "normalizer_spec.precompiled_charsmap");
                    charsmapBytes = in.skipBytes();
                }
                case 3 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_VARINT, "normalizer_spec.add_dummy_prefix");
                    addDummyPrefix = in.readBool();
                }
                case 4 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_VARINT, "normalizer_spec.remove_extra_whitespaces");
                    removeExtraWhitespaces = in.readBool();
                }
                case 5 -> {
                    in.expectWireType(tag, ProtobufReader.WIRE_VARINT, "normalizer_spec.escape_whitespaces");
                    escapeWhitespaces = in.readBool();
                }
                default -> in.skipField(tag);
            }
        }
        return new NormalizerSpec(name, charsmapBytes, addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces);
    }
}
