package io.yinghuo.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated header of one safetensors file (huggingface/safetensors README "Format" and
 * the checks of safetensors/src/tensor.rs): an 8-byte little-endian header length N, N bytes of UTF-8 JSON, then
 * a data buffer that the tensors cover exactly (no overlaps, no holes).
 */
record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata, long dataStart) {

    /** The Rust library refuses larger headers on read and write. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new ModelLoadException(file + ": not a safetensors file: " + fileSize
                    + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        // Unsigned u64: a negative long is a length beyond 2^63, certainly too large.
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelLoadException(file + ": not a safetensors file: header length "
                    + Long.toUnsignedString(headerLength) + " is outside 2.." + MAX_HEADER_BYTES);
        }
        if (headerLength > fileSize - 8) {
            throw new ModelLoadException(file + ": truncated or not a safetensors file: header length "
                    + headerLength + " exceeds the " + (fileSize - 8) + " bytes after the length field");
        }
        ByteBuffer json = ByteBuffer.allocate((int) headerLength);
        readFully(channel, json, 8);
        byte[] headerBytes = json.array();
        if (headerBytes[0] != '{') {
            throw new ModelLoadException(file + ": not a safetensors file: the header does not start with '{'");
        }
        ObjectNode root = StrictJson.parseObject(headerBytes, file + " (safetensors header)");
        long dataStart = 8 + headerLength;
        return fromJson(file, root, dataStart, fileSize - dataStart);
    }

    private static SafetensorsHeader fromJson(Path file, ObjectNode root, long dataStart, long dataSize) {
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>(); // {begin, end, index into names}
        List<String> names = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, value, metadata);
                continue;
            }
            long[] offsets = new long[2];
            TensorInfo info = readTensor(file, name, value, dataStart, offsets);
            if (offsets[1] > dataSize) {
                throw new ModelLoadException(file + ": tensor " + name + ": data_offsets [" + offsets[0] + ", "
                        + offsets[1] + "] lie outside the " + dataSize + "-byte data buffer (file truncated?)");
            }
            tensors.put(name, info);
            ranges.add(new long[] {offsets[0], offsets[1], names.size()});
            names.add(name);
        }
        checkCoverage(file, ranges, names, dataSize);
        return new SafetensorsHeader(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata),
                dataStart);
    }

    private static void readMetadata(Path file, JsonNode value, Map<String, String> out) {
        if (!value.isObject()) {
            throw new ModelLoadException(file + ": " + METADATA_KEY + " must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ModelLoadException(file + ": " + METADATA_KEY + " value of " + e.getKey()
                        + " must be a string, found " + e.getValue().getNodeType().toString().toLowerCase());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static TensorInfo readTensor(Path file, String name, JsonNode value, long dataStart, long[] offsets) {
        String where = file + ": tensor " + name + ": ";
        if (!value.isObject()) {
            throw new ModelLoadException(where + "header entry must be an object with dtype, shape, data_offsets");
        }
        JsonNode dtypeNode = value.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new ModelLoadException(where + "missing or non-string dtype");
        }
        DType dtype = DType.parse(dtypeNode.textValue());
        if (dtype == null) {
            throw new ModelLoadException(where + "unknown dtype " + dtypeNode.textValue());
        }
        JsonNode shapeNode = value.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new ModelLoadException(where + "missing shape array");
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new ModelLoadException(where + "shape " + shapeNode + " must hold non-negative integers");
            }
            shape[i] = d.longValue();
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException e) {
                throw new ModelLoadException(where + "shape " + shapeNode + " overflows");
            }
        }
        JsonNode offsetNode = value.get("data_offsets");
        if (offsetNode == null || !offsetNode.isArray() || offsetNode.size() != 2) {
            throw new ModelLoadException(where + "data_offsets must be [BEGIN, END]");
        }
        for (int i = 0; i < 2; i++) {
            JsonNode o = offsetNode.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw new ModelLoadException(where + "data_offsets " + offsetNode + " must be non-negative integers");
            }
            offsets[i] = o.longValue();
        }
        if (offsets[1] < offsets[0]) {
            throw new ModelLoadException(where + "data_offsets " + offsetNode + " end before they begin");
        }
        long byteLength = offsets[1] - offsets[0];
        long expected;
        try {
            expected = Math.multiplyExact(elements, dtype.bytes());
        } catch (ArithmeticException e) {
            throw new ModelLoadException(where + "shape " + shapeNode + " overflows");
        }
        if (byteLength != expected) {
            throw new ModelLoadException(where + "data_offsets " + offsetNode + " span " + byteLength
                    + " bytes but " + dtype + " " + shapeNode + " needs " + expected);
        }
        return new TensorInfo(name, dtype, shape, file, dataStart + offsets[0], byteLength);
    }

    /** The spec requires the tensors to cover the data buffer exactly: sorted by begin, each ends where the next begins. */
    private static void checkCoverage(Path file, List<long[]> ranges, List<String> names, long dataSize) {
        ranges.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
        long expectedBegin = 0;
        String previous = null;
        for (long[] r : ranges) {
            String name = names.get((int) r[2]);
            if (r[0] < expectedBegin) {
                throw new ModelLoadException(file + ": tensor " + name + ": data_offsets [" + r[0] + ", " + r[1]
                        + "] overlap tensor " + previous + " (which ends at " + expectedBegin + ")");
            }
            if (r[0] > expectedBegin) {
                throw new ModelLoadException(file + ": tensor " + name + ": data_offsets [" + r[0] + ", " + r[1]
                        + "] leave a hole at bytes " + expectedBegin + ".." + r[0]
                        + " of the data buffer (safetensors requires full coverage)");
            }
            expectedBegin = r[1];
            previous = name;
        }
        if (expectedBegin != dataSize) {
            throw new ModelLoadException(file + ": the tensors cover " + expectedBegin + " of the " + dataSize
                    + " data bytes; " + (dataSize - expectedBegin)
                    + " bytes at the end belong to no tensor (safetensors requires full coverage)");
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long pos = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, pos);
            if (n < 0) {
                throw new EOFException("end of file at byte " + pos);
            }
            pos += n;
        }
    }
}
