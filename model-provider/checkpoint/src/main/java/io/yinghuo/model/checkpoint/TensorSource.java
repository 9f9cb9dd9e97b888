package io.yinghuo.model.checkpoint;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Tensors by name, whatever files they live in (one safetensors file or a sharded set).
 * Buffers are read-only, little-endian memory mappings of exactly one tensor: nothing is copied into the heap.
 */
public interface TensorSource extends AutoCloseable {

    Set<String> names();

    /** @throws ModelLoadException naming the tensor when it is absent */
    TensorInfo info(String name);

    boolean contains(String name);

    /** A little-endian, read-only view of the tensor's bytes (position 0, limit = byte length). */
    ByteBuffer buffer(String name);

    @Override
    void close();
}
