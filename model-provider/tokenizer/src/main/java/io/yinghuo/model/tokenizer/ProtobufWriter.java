package io.yinghuo.model.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The writing half of {@link ProtobufReader}: varints, fixed32 floats and length-delimited fields. */
final class ProtobufWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtobufWriter varint(int field, long value) {
        tag(field, ProtobufReader.WIRE_VARINT);
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
        tag(field, ProtobufReader.WIRE_FIXED32);
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
        tag(field, ProtobufReader.WIRE_LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtobufWriter message(int field, ProtobufWriter message) {
        return bytes(field, message.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        rawVarint((long) field << 3 | wireType);
    }

    private void rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
