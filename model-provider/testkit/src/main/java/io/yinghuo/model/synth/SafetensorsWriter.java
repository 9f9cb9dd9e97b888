package io.yinghuo.model.synth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.checkpoint.StrictJson;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a safetensors file the way huggingface/safetensors does (its README, "Format", at
 * github.com/huggingface/safetensors): an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each
 * tensor name to its dtype, shape and [begin, end) data offsets (plus an optional {@code __metadata__} object of
 * strings), then the data buffer. As the Rust library's serializer does ({@code prepare} in safetensors/src/tensor.rs),
 * tensors are ordered by descending dtype size, then name, and the JSON header is padded with spaces (which the
 * format allows) to a multiple of 8 bytes, so that every tensor of a dtype starts aligned to its element size.
 *
 * <p>Tensors are declared first (name, dtype, shape and a {@link TensorContent} that produces the bytes); the header
 * is computed from the declarations, and each content is then asked for its bytes in file order. So a multi-GB file
 * is streamed and never held in memory. The file appears under its final name only once complete.
 */
public final class SafetensorsWriter {
    /** The header key reserved for the metadata object; no tensor may take this name. */
    static final String METADATA_KEY = "__metadata__";

    /** Produces the bytes of one tensor, in row-major order, through {@code out}. */
    @FunctionalInterface
    public interface TensorContent {
        void writeTo(TensorOutput out) throws IOException;
    }

    private record Entry(String name, DType dtype, long[] shape, long bytes, TensorContent content) {
    }

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafetensorsWriter add(String name, DType dtype, long[] shape, TensorContent content) {
        if (name.equals(METADATA_KEY) || !names.add(name)) {
            throw new IllegalArgumentException("tensor name used twice or reserved: " + name);
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in shape");
            }
            elements = Math.multiplyExact(elements, d);
        }
        entries.add(new Entry(name, dtype, shape.clone(), Math.multiplyExact(elements, dtype.bytes()), content));
        return this;
    }

    /** Writes the file (through a temporary sibling, moved into place when complete). */
    public void write(Path file) throws IOException {
        List<Entry> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.comparingInt((Entry e) -> -e.dtype().bytes()).thenComparing(Entry::name));
        byte[] header = header(ordered);

        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            TensorOutput out = new TensorOutput(channel);
            out.startTensor("header length", 8);
            out.putLong(header.length);
            out.endTensor();
            out.startTensor("header", header.length);
            out.putBytes(header);
            out.endTensor();
            for (Entry e : ordered) {
                out.startTensor(e.name(), e.bytes());
                e.content().writeTo(out);
                out.endTensor();
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private byte[] header(List<Entry> ordered) {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry e : ordered) {
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", e.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            ArrayNode offsets = t.putArray("data_offsets");
            offsets.add(offset);
            offset += e.bytes();
            offsets.add(offset);
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    /**
     * The little-endian byte sink a {@link TensorContent} writes to. It checks that every tensor gets exactly the
     * number of bytes its dtype and shape call for, so a generator bug cannot silently shift later tensors.
     */
    public static final class TensorOutput {
        private static final int BUFFER_BYTES = 1 << 22;

        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private String tensor;
        private long expected;
        private long written;

        TensorOutput(FileChannel channel) {
            this.channel = channel;
        }

        void startTensor(String name, long bytes) {
            tensor = name;
            expected = bytes;
            written = 0;
        }

        void endTensor() {
            if (written != expected) {
                throw new IllegalStateException("tensor " + tensor + ": wrote " + written + " bytes, its dtype and"
                        + " shape need " + expected);
            }
        }

        private void reserve(int bytes) throws IOException {
            written += bytes;
            if (written > expected) {
                throw new IllegalStateException("tensor " + tensor + ": more than the " + expected
                        + " bytes its dtype and shape need");
            }
            if (buffer.remaining() < bytes) {
                flush();
            }
        }

        public void putShort(short v) throws IOException {
            reserve(2);
            buffer.putShort(v);
        }

        public void putInt(int v) throws IOException {
            reserve(4);
            buffer.putInt(v);
        }

        public void putFloat(float v) throws IOException {
            reserve(4);
            buffer.putFloat(v);
        }

        public void putLong(long v) throws IOException {
            reserve(8);
            buffer.putLong(v);
        }

        /** Bulk form of {@link #putInt}: the hot path for large generated tensors. */
        public void putInts(int[] values, int from, int count) throws IOException {
            int done = 0;
            while (done < count) {
                int n = Math.min(count - done, BUFFER_BYTES / 4);
                reserve(n * 4);
                buffer.asIntBuffer().put(values, from + done, n);
                buffer.position(buffer.position() + n * 4);
                done += n;
            }
        }

        /** Bulk form of {@link #putShort}. */
        public void putShorts(short[] values, int from, int count) throws IOException {
            int done = 0;
            while (done < count) {
                int n = Math.min(count - done, BUFFER_BYTES / 2);
                reserve(n * 2);
                buffer.asShortBuffer().put(values, from + done, n);
                buffer.position(buffer.position() + n * 2);
                done += n;
            }
        }

        public void putBytes(byte[] bytes) throws IOException {
            for (int off = 0; off < bytes.length; ) {
                int n = Math.min(bytes.length - off, BUFFER_BYTES);
                reserve(n);
                buffer.put(bytes, off, n);
                off += n;
            }
        }

        void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }
    }
}
