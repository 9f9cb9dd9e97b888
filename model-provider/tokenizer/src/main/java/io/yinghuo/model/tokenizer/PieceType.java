package io.yinghuo.model.tokenizer;

/**
 * The type of a vocabulary entry, as {@code ModelProto.SentencePiece.Type} in google/sentencepiece
 * (src/sentencepiece_model.proto). The enum order is the protobuf number minus one.
 */
public enum PieceType {
    /** An ordinary piece that BPE merges can produce. */
    NORMAL,
    /** {@code <unk>}: decodes to the unknown surface " ⁇ ". */
    UNKNOWN,
    /** {@code <s>}, {@code </s>}: never produced from text by spm, decodes to nothing. */
    CONTROL,
    /** Matched verbatim before BPE and never merged further. */
    USER_DEFINED,
    /** Merges through it but is split back into its parts after BPE. */
    UNUSED,
    /** {@code <0xXX>}: one UTF-8 byte, used for byte fallback. */
    BYTE;

    /** The protobuf enum number (NORMAL = 1 ... BYTE = 6). */
    public int protoNumber() {
        return ordinal() + 1;
    }

    static PieceType fromProtoNumber(int number) {
        PieceType[] all = values();
        if (number < 1 || number > all.length) {
            return null;
        }
        return all[number - 1];
    }

    /** Pieces of these types take part in BPE merges (spm's {@code pieces_} map); the others are "reserved". */
    boolean isMergeable() {
        return this == NORMAL || this == USER_DEFINED || this == UNUSED;
    }
}
