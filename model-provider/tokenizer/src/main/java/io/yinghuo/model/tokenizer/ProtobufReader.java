package io.yinghuo.model.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/) to read a
 * SentencePiece {@code ModelProto}: varints, 64-bit and 32-bit fixed values and length-delimited fields.
 *
 * <p>Hand-written on purpose: the tokenizer needs four fields of one message, which does not justify
 * protobuf-java plus generated code (and a protoc step in the build). Every read checks its bounds, so a truncated
 * or corrupt file ends in a {@link MalformedProtobufException} with the byte offset, never in garbage.
 */
final class ProtobufReader {
    static final int WIRE_VARINT = 0;
    static final int WIRE_FIXED64 = 1;
    static final int WIRE_LENGTH_DELIMITED = 2;
    static final int WIRE_START_GROUP = 3;
    static final int WIRE_END_GROUP = 4;
    static final int WIRE_FIXED32 = 5;

    private final byte[] data;
    private int position;
    private final int limit;

    ProtobufReader(byte[] data) {
        this(data, 0, data.length);
    }

    private ProtobufReader(byte[] data, int offset, int limit) {
        this.data = data;
        this.position = offset;
        this.limit = limit;
    }

    boolean hasMore() {
        return position < limit;
    }

    int position() {
        return position;
    }

    /** Reads a field key; returns it whole (field number = key >>> 3, wire type = key & 7). */
    int readTag() {
        int at = position;
        long key = readVarint();
        int fieldNumber = (int) (key >>> 3);
        if (key >>> 3 > 0x1FFFFFFFL || fieldNumber == 0) {
            throw new MalformedProtobufException("invalid field number " + (key >>> 3), at);
        }
        int wireType = (int) (key & 7);
        if (wireType > WIRE_FIXED32) {
            throw new MalformedProtobufException("invalid wire type " + wireType + " for field " + fieldNumber, at);
        }
        return (int) key;
    }

    static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    long readVarint() {
        int at = position;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                throw new MalformedProtobufException("truncated varint", at);
            }
            byte b = data[position++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new MalformedProtobufException("varint longer than 10 bytes", at);
    }

    /** An int32 field: negative values are sent as 10-byte varints and truncate back to 32 bits. */
    int readInt32() {
        return (int) readVarint();
    }

    boolean readBool() {
        return readVarint() != 0;
    }

    float readFloat() {
        require(4, "fixed32");
        int bits = (data[position] & 0xFF)
                | (data[position + 1] & 0xFF) << 8
                | (data[position + 2] & 0xFF) << 16
                | (data[position + 3] & 0xFF) << 24;
        position += 4;
        return Float.intBitsToFloat(bits);
    }

    /** The payload of a length-delimited field as a reader of its own (for embedded messages). */
    ProtobufReader readMessage() {
        int length = readLength();
        ProtobufReader sub = new ProtobufReader(data, position, position + length);
        position += length;
        return sub;
    }

    String readString() {
        int length = readLength();
        String s = new String(data, position, length, StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    /** Skips a length-delimited payload and returns its length. */
    int skipBytes() {
        int length = readLength();
        position += length;
        return length;
    }

    /** Skips the value of a field we do not use. Groups (deprecated, unused by SentencePiece) are refused. */
    void skipField(int tag) {
        switch (wireType(tag)) {
            case WIRE_VARINT -> readVarint();
            case WIRE_FIXED64 -> {
                require(8, "fixed64");
                position += 8;
            }
            case WIRE_LENGTH_DELIMITED -> {
                int length = readLength();
                position += length;
            }
            case WIRE_FIXED32 -> {
                require(4, "fixed32");
                position += 4;
            }
            default -> throw new MalformedProtobufException(
                    "unsupported wire type " + wireType(tag) + " (group) for field " + fieldNumber(tag), position);
        }
    }

    /** Fails unless {@code tag} has the wire type the schema gives its field. */
    void expectWireType(int tag, int wireType, String fieldName) {
        if (wireType(tag) != wireType) {
            throw new MalformedProtobufException("field " + fieldName + " (" + fieldNumber(tag) + ") has wire type "
                    + wireType(tag) + ", expected " + wireType, position);
        }
    }

    private int readLength() {
        int at = position;
        long length = readVarint();
        if (length < 0 || length > limit - position) {
            throw new MalformedProtobufException("length " + length + " runs past the end of its message ("
                    + (limit - position) + " bytes left)", at);
        }
        return (int) length;
    }

    private void require(int bytes, String what) {
        if (limit - position < bytes) {
            throw new MalformedProtobufException("truncated " + what, position);
        }
    }

    /** Corrupt wire data; the caller adds the file name. */
    static final class MalformedProtobufException extends RuntimeException {
        MalformedProtobufException(String message, int offset) {
            super(message + " at byte " + offset);
        }
    }
}
