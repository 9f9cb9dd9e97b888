package io.yinghuo.model.weights;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.util.Fp16;

import java.nio.ByteBuffer;

/** A row-major [rows, cols] matrix of F16, BF16 or F32 over a little-endian (usually mapped) buffer. */
public record DenseMatrix(int rows, int cols, DType dtype, ByteBuffer data) {

    public DenseMatrix {
        if (dtype != DType.F16 && dtype != DType.BF16 && dtype != DType.F32) {
            throw new IllegalArgumentException("dense matrices are F16, BF16 or F32, not " + dtype);
        }
        long need = (long) rows * cols * dtype.bytes();
        if (data.capacity() < need) {
            throw new IllegalArgumentException("buffer of " + data.capacity() + " bytes for " + rows + "x" + cols
                    + " " + dtype + " (" + need + " bytes)");
        }
    }

    public float get(int row, int col) {
        long i = (long) row * cols + col;
        return switch (dtype) {
            case F16 -> Fp16.toFloat(data.getShort((int) (i * 2)));
            case BF16 -> Fp16.bf16ToFloat(data.getShort((int) (i * 2)));
            default -> data.getFloat((int) (i * 4));
        };
    }

    /** Copies one row into {@code out[0..cols)} as floats. */
    public void row(int row, float[] out) {
        for (int c = 0; c < cols; c++) {
            out[c] = get(row, c);
        }
    }

    public long storageBytes() {
        return (long) rows * cols * dtype.bytes();
    }
}
