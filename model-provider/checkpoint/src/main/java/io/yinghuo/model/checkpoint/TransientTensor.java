package io.yinghuo.model.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * One tensor's bytes opened for a single pass (a backend repacking it at load) and released on {@link #close}, so
 * its pages do not stay in the process's resident set while the model runs.
 *
 * <p>Why not {@link TensorSource#buffer}: those mappings live as long as the model (Java 17 unmaps only when a
 * buffer is garbage collected), so every page a backend reads while repacking would stay resident as mapped file
 * memory next to the repacked heap copy: the quantized weights twice. Here the tensor gets a private mapping that
 * {@link #close} unmaps at once ({@link Unmapper}); the pages stay in the OS page cache, reclaimable, but leave the
 * process. Where explicit unmapping is unavailable the tensor is read into a heap buffer instead, which becomes
 * ordinary garbage after the pass.
 *
 * <p>Contract: {@link #buffer()} and every view taken from it must not be used after {@link #close}: with the
 * mapping gone such a read would crash the JVM. Keep the buffers local to the pass; when a pass fails while other
 * threads may still read, {@link #abandon} instead of closing.
 */
public final class TransientTensor implements AutoCloseable {
    /** Heap reads go in chunks so the JDK's cached temporary direct buffer stays this small. */
    private static final int READ_CHUNK = 1 << 20;

    private final TensorInfo info;
    private final boolean mapped;
    private ByteBuffer bytes;

    private TransientTensor(TensorInfo info, ByteBuffer bytes, boolean mapped) {
        this.info = info;
        this.bytes = bytes;
        this.mapped = mapped;
    }

    /** Opens the tensor {@code info} describes: a private mapping when it can be unmapped, a heap copy otherwise. */
    public static TransientTensor open(TensorInfo info) {
        return open(info, Unmapper.available());
    }

    static TransientTensor open(TensorInfo info, boolean map) {
        if (info.byteLength() > SafetensorsFile.MAX_MAPPING_BYTES) {
            throw new ModelLoadException(info.file() + ": tensor " + info.name() + " is " + info.byteLength()
                    + " bytes; tensors over 2 GiB cannot be read into one buffer");
        }
        int length = (int) info.byteLength();
        try (FileChannel channel = FileChannel.open(info.file(), StandardOpenOption.READ)) {
            if (channel.size() < info.fileOffset() + length) {
                throw new ModelLoadException(info.file() + ": tensor " + info.name() + " ends at byte "
                        + (info.fileOffset() + length) + " but the file has only " + channel.size()
                        + " bytes (was it changed after loading?)");
            }
            if (length == 0) {
                return new TransientTensor(info, ByteBuffer.allocate(0), false);
            }
            if (map) {
                // the mapping outlives the channel; close() unmaps it
                return new TransientTensor(info, channel.map(FileChannel.MapMode.READ_ONLY, info.fileOffset(),
                        length), true);
            }
            return new TransientTensor(info, readFully(channel, info.fileOffset(), length), false);
        } catch (IOException e) {
            throw new ModelLoadException(info.file() + ": tensor " + info.name() + ": cannot read " + length
                    + " bytes at offset " + info.fileOffset() + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer heap = ByteBuffer.allocate(length);
        long position = offset;
        while (heap.hasRemaining()) {
            ByteBuffer part = heap.slice(heap.position(), Math.min(READ_CHUNK, heap.remaining()));
            int n = channel.read(part, position);
            if (n < 0) {
                throw new EOFException("end of file at byte " + position);
            }
            heap.position(heap.position() + n);
            position += n;
        }
        return heap.flip();
    }

    public TensorInfo info() {
        return info;
    }

    /** True when the bytes are a private mapping that {@link #close} unmaps, false for a heap copy. */
    public boolean isMapped() {
        return mapped;
    }

    /** A read-only little-endian view of the tensor's bytes, valid until {@link #close} or {@link #abandon}. */
    public ByteBuffer buffer() {
        if (bytes == null) {
            throw new IllegalStateException("tensor " + info.name() + " was already released");
        }
        return bytes.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Unmaps the tensor (or drops the heap copy). */
    @Override
    public void close() {
        ByteBuffer b = bytes;
        bytes = null;
        if (b != null && mapped) {
            Unmapper.unmap(b);
        }
    }

    /**
     * Drops the tensor without unmapping: for a failed pass whose other threads might still read it. The JDK then
     * unmaps when the buffer is garbage collected.
     */
    public void abandon() {
        bytes = null;
    }
}
