package io.yinghuo.model.weights;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.checkpoint.TensorInfo;
import io.yinghuo.model.checkpoint.TensorSource;
import io.yinghuo.model.util.Fp16;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Typed, shape-checked access to the tensors of a checkpoint: every getter names the file and tensor and says what
 * dtype and shape were expected when the checkpoint disagrees.
 */
final class CheckedTensors {
    static final Set<DType> FLOATS = EnumSet.of(DType.F16, DType.BF16, DType.F32);

    private final TensorSource source;
    private final String label;

    CheckedTensors(TensorSource source, String label) {
        this.source = source;
        this.label = label;
    }

    boolean has(String name) {
        return source.contains(name);
    }

    String label() {
        return label;
    }

    /** The tensor's info after checking that it exists, has one of {@code dtypes} and exactly {@code shape}. */
    TensorInfo require(String name, Set<DType> dtypes, String meaning, long... shape) {
        if (!source.contains(name)) {
            throw new ModelLoadException(label + ": missing tensor " + name + " (" + meaning + ", expected "
                    + dtypeList(dtypes) + " " + Arrays.toString(shape) + ")");
        }
        TensorInfo info = source.info(name);
        if (!dtypes.contains(info.dtype())) {
            throw new ModelLoadException(info.file() + ": tensor " + name + " has dtype " + info.dtype()
                    + ", expected " + dtypeList(dtypes) + " (" + meaning + ")");
        }
        if (!Arrays.equals(info.shape(), shape)) {
            throw new ModelLoadException(info.file() + ": tensor " + name + " has shape " + info.shapeString()
                    + ", expected " + Arrays.toString(shape) + " (" + meaning + ")");
        }
        return info;
    }

    ByteBuffer buffer(String name) {
        return source.buffer(name);
    }

    DenseMatrix matrix(String name, String meaning, int rows, int cols) {
        TensorInfo info = require(name, FLOATS, meaning, rows, cols);
        return new DenseMatrix(rows, cols, info.dtype(), source.buffer(name));
    }

    /** A small float vector (norm weights, biases), converted to float[]. */
    float[] vector(String name, Set<DType> dtypes, String meaning, int length) {
        TensorInfo info = require(name, dtypes, meaning, length);
        ByteBuffer b = source.buffer(name);
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = switch (info.dtype()) {
                case F16 -> Fp16.toFloat(b.getShort(2 * i));
                case BF16 -> Fp16.bf16ToFloat(b.getShort(2 * i));
                default -> b.getFloat(4 * i);
            };
        }
        return out;
    }

    private static String dtypeList(Set<DType> dtypes) {
        StringBuilder sb = new StringBuilder();
        for (DType d : dtypes) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(d);
        }
        return sb.toString();
    }
}
