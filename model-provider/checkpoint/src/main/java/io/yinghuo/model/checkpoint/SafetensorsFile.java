package io.yinghuo.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One safetensors file, validated on open ({@link SafetensorsHeader}) and read through per-tensor memory mappings.
 *
 * <p>Nothing is copied: {@link #buffer} maps the tensor's bytes read-only on first use (a Java mapping is limited to
 * 2 GiB, so a whole 4-8 GB checkpoint cannot be one mapping, but every single tensor of a 7B/13B LLaMA can) and hands
 * out little-endian views. {@link #close} closes the channel; the JDK releases a mapping when its last buffer is
 * garbage collected (Java 17 has no supported explicit unmap), so buffers taken before closing stay readable.
 */
public final class SafetensorsFile implements TensorSource {
    /** The largest tensor one MappedByteBuffer can address. */
    static final long MAX_MAPPING_BYTES = Integer.MAX_VALUE;

    private final Path path;
    private final SafetensorsHeader header;
    private final Map<String, ByteBuffer> mapped = new HashMap<>();
    private FileChannel channel;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.header = header;
    }

    /** Opens and validates the header; tensor data is mapped lazily. */
    public static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(path + ": no such file");
        } catch (IOException e) {
            throw new ModelLoadException(path + ": cannot open: " + e.getMessage(), e);
        }
        try {
            if (Files.isDirectory(path)) {
                throw new ModelLoadException(path + ": is a directory, expected a .safetensors file");
            }
            return new SafetensorsFile(path, channel, SafetensorsHeader.read(path, channel));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ModelLoadException(path + ": cannot read the safetensors header: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** The {@code __metadata__} map (empty when the file has none). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Absolute file offset of the data buffer (8 + header length). */
    public long dataStart() {
        return header.dataStart();
    }

    @Override
    public Set<String> names() {
        return header.tensors().keySet();
    }

    @Override
    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw new ModelLoadException(path + ": no tensor named " + name);
        }
        return info;
    }

    @Override
    public synchronized ByteBuffer buffer(String name) {
        ByteBuffer buffer = mapped.get(name);
        if (buffer == null) {
            buffer = map(info(name));
            mapped.put(name, buffer);
        }
        // duplicate() resets the byte order to big-endian, so set it again on every view.
        return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer map(TensorInfo info) {
        if (info.byteLength() > MAX_MAPPING_BYTES) {
            throw new ModelLoadException(path + ": tensor " + info.name() + " is " + info.byteLength()
                    + " bytes; tensors over 2 GiB cannot be mapped (Java MappedByteBuffer limit)");
        }
        if (channel == null) {
            throw new IllegalStateException(path + " is closed");
        }
        if (info.byteLength() == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, info.fileOffset(), info.byteLength());
        } catch (IOException e) {
            throw new ModelLoadException(path + ": tensor " + info.name() + ": cannot map "
                    + info.byteLength() + " bytes at offset " + info.fileOffset() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            closeQuietly(channel);
            channel = null;
        }
        mapped.clear();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel loses nothing
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + header.tensors().size() + " tensors]";
    }
}
