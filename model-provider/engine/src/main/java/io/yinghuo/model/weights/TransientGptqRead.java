package io.yinghuo.model.weights;

import io.yinghuo.model.checkpoint.TransientTensor;

import java.util.function.Function;

/**
 * Hands a backend a quantized layer whose qweight, qzeros and scales are read through short-lived mappings that are
 * unmapped as soon as the backend has built its own layout. The layer's long-lived mappings (held by
 * {@link LlamaWeights}) are then never touched, so the checkpoint's quantized tensors are resident once, in the
 * backend's layout, not twice.
 */
public final class TransientGptqRead {
    private TransientGptqRead() {
    }

    /** {@code build(layer)} with the layer's tensors read through short-lived mappings when it knows where they lie. */
    public static <T> T build(GptqLinear layer, Function<GptqLinear, T> build) {
        GptqLinear.Stored stored = layer.stored();
        if (stored == null) {
            return build.apply(layer);
        }
        try (TransientTensor qweight = TransientTensor.open(stored.qweight());
             TransientTensor qzeros = TransientTensor.open(stored.qzeros());
             TransientTensor scales = TransientTensor.open(stored.scales())) {
            try {
                return build.apply(layer.withBuffers(qweight.buffer().asIntBuffer(), qzeros.buffer().asIntBuffer(),
                        scales.buffer().asShortBuffer()));
            } catch (RuntimeException | Error e) {
                // a failed parallel build may leave workers still reading: unmapping under them would crash the JVM
                qweight.abandon();
                qzeros.abandon();
                scales.abandon();
                throw e;
            }
        }
    }
}
