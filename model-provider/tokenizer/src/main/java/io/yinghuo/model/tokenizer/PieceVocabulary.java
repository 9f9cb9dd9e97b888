package io.yinghuo.model.tokenizer;

import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.tokenizer.SentencePieceModel.NormalizerSpec;
import io.yinghuo.model.tokenizer.SentencePieceModel.Piece;
import io.yinghuo.model.tokenizer.SentencePieceModel.TrainerSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The vocabulary of a BPE SentencePiece model, checked as sentencepiece v0.1.97 checks it when loading
 * (src/model_interface.cc {@code InitializePieces}, src/sentencepiece_processor.cc {@code Load}) and refused when it
 * needs a feature we do not implement.
 *
 * <p>Like spm it keeps two maps: NORMAL/USER_DEFINED/UNUSED pieces (the ones BPE may merge into) and the "reserved"
 * UNKNOWN/CONTROL/BYTE pieces; a piece string is looked up in the reserved map first ({@code PieceToId}).
 */
final class PieceVocabulary {
    static final char SPACE_SYMBOL = '\u2581'; // "▁", spm's kSpaceSymbol

    final String source;
    final String[] pieces;
    final float[] scores;
    final PieceType[] types;
    final PieceTable mergeable;
    final PieceTable reserved;
    /** The USER_DEFINED piece strings (matched verbatim before BPE); none in LLaMA. */
    final List<String> userDefined;
    final boolean hasUnusedPieces;
    final int unkId;
    final int bosId;
    final int eosId;
    final boolean byteFallback;
    /** byte value -> id of its {@code <0xXX>} piece (when byte fallback is on). */
    final int[] byteIds = new int[256];
    final NormalizerSpec normalizer;
    final String unkSurface;

    // Decoding (spm Decode maps id -> piece -> id again, so a piece duplicated across the two maps decodes as its
    // reserved twin; these arrays hold the result of that round trip).
    /** id -> spm PieceToId(piece(id)): the id itself unless its string is also a reserved piece. */
    final int[] canonicalIds;
    final PieceType[] decodeTypes;
    final int[] decodeBytes; // byte value for BYTE, else -1
    final String[] surfaces; // piece with every "▁" as ' '

    PieceVocabulary(SentencePieceModel model) {
        this.source = model.source();
        TrainerSpec trainer = model.trainerSpec();
        checkSupported(model);

        List<Piece> list = model.pieces();
        int n = list.size();
        pieces = new String[n];
        scores = new float[n];
        types = new PieceType[n];
        mergeable = new PieceTable(n, n);
        reserved = new PieceTable(n, 512);
        byteFallback = trainer.byteFallback();
        java.util.Arrays.fill(byteIds, -1);
        List<String> userDefinedPieces = new ArrayList<>();
        boolean unused = false;
        int unk = -1;
        for (int id = 0; id < n; id++) {
            Piece piece = list.get(id);
            String text = piece.text();
            if (text.isEmpty()) {
                throw fail("piece " + id + " is empty");
            }
            pieces[id] = text;
            scores[id] = piece.score();
            types[id] = piece.type();
            int existing = (piece.type().isMergeable() ? mergeable : reserved).putIfAbsent(text, id);
            if (existing >= 0) {
                throw fail("piece '" + text + "' (id " + id + ") is already defined as id " + existing);
            }
            switch (piece.type()) {
                case USER_DEFINED -> userDefinedPieces.add(text);
                case UNUSED -> unused = true;
                case UNKNOWN -> {
                    if (unk >= 0) {
                        throw fail("has two unknown pieces, ids " + unk + " and " + id);
                    }
                    unk = id;
                }
                case BYTE -> {
                    if (!byteFallback) {
                        throw fail("byte piece " + text + " (id " + id + ") found although byte_fallback is false");
                    }
                    int b = pieceToByte(text);
                    if (b < 0) {
                        throw fail("byte piece '" + text + "' (id " + id + ") is not of the form <0xXX>");
                    }
                    byteIds[b] = id;
                }
                default -> {
                }
            }
        }
        if (unk < 0) {
            throw fail("has no unknown piece (type UNKNOWN)");
        }
        if (byteFallback) {
            for (int b = 0; b < 256; b++) {
                if (byteIds[b] < 0) {
                    throw fail(String.format("has byte_fallback on but no byte piece <0x%02X>", b));
                }
            }
        }
        unkId = unk;
        userDefined = List.copyOf(userDefinedPieces);
        hasUnusedPieces = unused;
        bosId = controlId(trainer.bosPiece(), "BOS");
        eosId = controlId(trainer.eosPiece(), "EOS");
        normalizer = model.normalizerSpec();
        unkSurface = trainer.unkSurface();

        canonicalIds = new int[n];
        decodeTypes = new PieceType[n];
        decodeBytes = new int[n];
        surfaces = new String[n];
        for (int id = 0; id < n; id++) {
            int twin = pieceToId(pieces[id]);
            canonicalIds[id] = twin;
            decodeTypes[id] = types[twin];
            decodeBytes[id] = types[twin] == PieceType.BYTE ? pieceToByte(pieces[id]) : -1;
            surfaces[id] = pieces[id].replace(SPACE_SYMBOL, ' ');
        }
    }

    int size() {
        return pieces.length;
    }

    /** spm {@code PieceToId}: reserved pieces first, then mergeable ones, else the unknown id. */
    int pieceToId(String piece) {
        int id = reserved.find(piece);
        if (id >= 0) {
            return id;
        }
        id = mergeable.find(piece);
        return id >= 0 ? id : unkId;
    }

    int pieceToId(char[] text, int start, int length) {
        int id = reserved.find(text, start, length);
        if (id >= 0) {
            return id;
        }
        id = mergeable.find(text, start, length);
        return id >= 0 ? id : unkId;
    }

    /** {@code <0xXX>} (upper-case hex, as spm's ByteToPiece writes it) to its byte, else -1. */
    static int pieceToByte(String piece) {
        if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') {
            return -1;
        }
        int hi = upperHexDigit(piece.charAt(3));
        int lo = upperHexDigit(piece.charAt(4));
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }

    static String byteToPiece(int b) {
        return String.format("<0x%02X>", b);
    }

    private static int upperHexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private int controlId(String piece, String role) {
        int id = pieceToId(piece);
        if (types[id] != PieceType.CONTROL) {
            throw fail("has no " + role + " piece: '" + piece + "' is not a CONTROL piece");
        }
        return id;
    }

    private void checkSupported(SentencePieceModel model) {
        TrainerSpec trainer = model.trainerSpec();
        if (trainer.modelType() != SentencePieceModel.MODEL_TYPE_BPE) {
            throw fail("is a " + modelTypeName(trainer.modelType())
                    + " SentencePiece model; only BPE models (as LLaMA uses) are supported");
        }
        if (trainer.treatWhitespaceAsSuffix()) {
            throw fail("sets treat_whitespace_as_suffix, which LLaMA tokenizers do not use and is not supported");
        }
        NormalizerSpec normalizer = model.normalizerSpec();
        if (normalizer.precompiledCharsmapBytes() > 0) {
            throw fail("uses the '" + normalizer.name() + "' normalizer (" + normalizer.precompiledCharsmapBytes()
                    + " bytes of compiled rules); only the identity normalizer (as LLaMA uses) is supported");
        }
        NormalizerSpec denormalizer = model.denormalizerSpec();
        if (denormalizer != null && denormalizer.precompiledCharsmapBytes() > 0) {
            throw fail("has denormalization rules ('" + denormalizer.name() + "'), which are not supported");
        }
    }

    private static String modelTypeName(int modelType) {
        return switch (modelType) {
            case SentencePieceModel.MODEL_TYPE_UNIGRAM -> "UNIGRAM";
            case SentencePieceModel.MODEL_TYPE_BPE -> "BPE";
            case SentencePieceModel.MODEL_TYPE_WORD -> "WORD";
            case SentencePieceModel.MODEL_TYPE_CHAR -> "CHAR";
            default -> "model_type " + modelType;
        };
    }

    private ModelLoadException fail(String problem) {
        return new ModelLoadException("tokenizer model " + source + " " + problem);
    }
}
