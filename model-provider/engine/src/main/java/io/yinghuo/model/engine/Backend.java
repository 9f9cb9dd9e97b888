package io.yinghuo.model.engine;

import io.yinghuo.model.weights.LlamaWeights;

/**
 * A place to run a LLaMA model: the CPU ({@code cpu.CpuBackend}) or an NVIDIA GPU ({@code CudaBackend} in the
 * {@code yinghuo-engine-cuda} module, found by name). A backend turns checkpoint weights into a
 * {@link LoadedModel} in its own layout; nothing backend-specific leaks through this interface.
 */
public interface Backend {

    /** Short name for logs and the command line, e.g. "cpu". */
    String name();

    /**
     * Prepares the weights for this backend. The returned model keeps referring to {@code weights} (mapped
     * buffers, embeddings), so the caller closes the model first and the weights after it.
     *
     * @throws IllegalArgumentException when the weights or options do not fit this backend
     */
    LoadedModel load(LlamaWeights weights, EngineOptions options);
}
