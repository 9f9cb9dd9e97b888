package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.weights.DenseMatrix;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * A row-major [rows, cols] F16/BF16/F32 matrix (nn.Linear layout [N, K]) read in place from its buffer: rows are
 * copied chunk by chunk into small per-thread scratch arrays and converted in registers, never into a float copy
 * of the matrix.
 */
public final class DenseRows {
    private final int rows;
    private final int cols;
    private final DType dtype;
    private final ShortBuffer halves;
    private final FloatBuffer floats;

    public DenseRows(DenseMatrix m) {
        this.rows = m.rows();
        this.cols = m.cols();
        this.dtype = m.dtype();
        // Little-endian views of our own (duplicate) so the caller's buffer position and order are untouched.
        if (dtype == DType.F32) {
            this.floats = m.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            this.halves = null;
        } else {
            this.halves = m.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            this.floats = null;
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public DType dtype() {
        return dtype;
    }

    /** Copies one row of an F16/BF16 matrix as raw bits into dst[at..at+cols). */
    public void copyRow(int row, short[] dst, int at) {
        halves.get(row * cols, dst, at, cols);
    }

    /** Copies one row of an F32 matrix into dst[at..at+cols). */
    public void copyRow(int row, float[] dst, int at) {
        floats.get(row * cols, dst, at, cols);
    }

    public long bytes() {
        return (long) rows * cols * dtype.bytes();
    }
}
