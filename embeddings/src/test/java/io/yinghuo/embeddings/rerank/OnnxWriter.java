package io.yinghuo.embeddings.rerank;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models for tests, without protobuf-java: the few messages of onnx.proto that a graph of
 * standard operators needs (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto,
 * TypeProto), encoded with the protobuf wire format (https://protobuf.dev/programming-guides/encoding/: a field is
 * the varint {@code number << 3 | wire type}, then a varint or a length-prefixed payload). Field numbers are those
 * of https://github.com/onnx/onnx/blob/main/onnx/onnx.proto.
 */
final class OnnxWriter {

    /** TensorProto.DataType values. */
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int FLOAT16 = 10;
    static final int BFLOAT16 = 16;

    /** ONNX IR version 8 (ONNX 1.10 and later), read by every ONNX Runtime since 1.10. */
    private static final long IR_VERSION = 8;
    /** Operator set 13: ReduceSum and Unsqueeze take their axes as an input. */
    private static final long OPSET = 13;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();

    /** A protobuf message being written. */
    static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }

        private void key(int field, int wireType) {
            varint((long) field << 3 | wireType);
        }

        Message integer(int field, long value) {
            key(field, 0);
            varint(value);
            return this;
        }

        Message bytes(int field, byte[] value) {
            key(field, 2);
            varint(value.length);
            out.writeBytes(value);
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return bytes(field, value.toBytes());
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    /** A graph input of int64 (or {@code elemType}) token ids, shaped [batch, sequence]. */
    OnnxWriter input(String name, int elemType) {
        inputs.add(valueInfo(name, elemType, "batch", "sequence"));
        return this;
    }

    /**
     * A graph output; each dimension is a {@link Long} (a fixed size), a {@link String} (a symbolic size) or
     * {@code null} (unknown).
     */
    OnnxWriter output(String name, int elemType, Object... dims) {
        outputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    OnnxWriter floats(String name, long[] dims, float... values) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            raw.putFloat(value);
        }
        initializers.add(tensor(name, FLOAT, dims, raw.array()));
        return this;
    }

    OnnxWriter longs(String name, long[] dims, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            raw.putLong(value);
        }
        initializers.add(tensor(name, INT64, dims, raw.array()));
        return this;
    }

    /** A node; {@code intAttributes} are pairs of name and value, e.g. {@code "axis", 0}. */
    OnnxWriter node(String opType, List<String> in, List<String> out, Object... intAttributes) {
        Message node = new Message();
        for (String name : in) {
            node.string(1, name);
        }
        for (String name : out) {
            node.string(2, name);
        }
        node.string(3, opType + "_" + nodes.size());
        node.string(4, opType);
        for (int i = 0; i < intAttributes.length; i += 2) {
            node.message(5, new Message()
                    .string(1, (String) intAttributes[i])
                    .integer(3, ((Number) intAttributes[i + 1]).longValue())
                    .integer(20, 2)); // AttributeProto.INT
        }
        nodes.add(node.toBytes());
        return this;
    }

    byte[] toBytes() {
        Message graph = new Message();
        nodes.forEach(node -> graph.bytes(1, node));
        graph.string(2, "test_cross_encoder");
        initializers.forEach(tensor -> graph.bytes(5, tensor));
        inputs.forEach(input -> graph.bytes(11, input));
        outputs.forEach(output -> graph.bytes(12, output));
        return new Message()
                .integer(1, IR_VERSION)
                .string(2, "yinghuo-tests")
                .message(7, graph)
                .message(8, new Message().string(1, "").integer(2, OPSET))
                .toBytes();
    }

    Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, toBytes());
    }

    private static byte[] tensor(String name, int dataType, long[] dims, byte[] raw) {
        Message tensor = new Message();
        for (long dim : dims) {
            tensor.integer(1, dim);
        }
        return tensor.integer(2, dataType).string(8, name).bytes(9, raw).toBytes();
    }

    private static byte[] valueInfo(String name, int elemType, Object... dims) {
        Message shape = new Message();
        for (Object dim : dims) {
            Message dimension = new Message();
            if (dim instanceof Long size) {
                dimension.integer(1, size);
            } else if (dim instanceof String symbol) {
                dimension.string(2, symbol);
            }
            shape.message(1, dimension);
        }
        Message tensorType = new Message().integer(1, elemType).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensorType)).toBytes();
    }
}
