package io.yinghuo.model.checkpoint;

/** safetensors dtype strings and their element sizes (huggingface/safetensors README "Format"). */
public enum DType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4), I64(8), U64(8), F64(8), C64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** Parses a header dtype; unknown names give {@code null} so the caller can name the tensor in its error. */
    public static DType parse(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
