package io.yinghuo.model.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: where its bytes are and what they mean.
 *
 * @param fileOffset absolute byte offset in {@code file} (8 + header length + data_offsets[0])
 */
public record TensorInfo(String name, DType dtype, long[] shape, Path file, long fileOffset, long byteLength) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public int rank() {
        return shape.length;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
