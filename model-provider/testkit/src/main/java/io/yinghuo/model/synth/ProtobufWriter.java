package io.yinghuo.model.synth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protobuf wire format as {@link SentencePieceModelWriter} needs it: varints, fixed32 floats and length-delimited
 * fields, each behind the tag {@code field << 3 | wire type} (https://protobuf.dev/programming-guides/encoding/).
 * The tokenizer reads the format with its own reader; this writer shares no code with it.
 */
final class ProtobufWriter {
    // Wire types of the protobuf encoding.
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtobufWriter varint(int field, long value) {
        tag(field, WIRE_VARINT);
        rawVarint(value);
        return this;
    }

    /** An int32: negative values take ten bytes, as protobuf sign-extends them to 64 bits. */
    ProtobufWriter int32(int field, int value) {
        return varint(field, value);
    }

    ProtobufWriter bool(int field, boolean value) {
        return varint(field, value ? 1 : 0);
    }

    ProtobufWriter float32(int field, float value) {
        tag(field, WIRE_FIXED32);
        int bits = Float.floatToIntBits(value);
        out.write(bits);
        out.write(bits >>> 8);
        out.write(bits >>> 16);
        out.write(bits >>> 24);
        return this;
    }

    ProtobufWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtobufWriter bytes(int field, byte[] value) {
        tag(field, WIRE_LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** A field as its tag and the payload bytes as given, whatever the wire type says: for corrupt files. */
    ProtobufWriter raw(long field, int wireType, byte... payload) {
        tag(field, wireType);
        out.writeBytes(payload);
        return this;
    }

    ProtobufWriter message(int field, ProtobufWriter message) {
        return bytes(field, message.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(long field, int wireType) {
        rawVarint(field << 3 | wireType);
    }

    private void rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
