package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.engine.Backend;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.weights.LlamaWeights;

/** The pure-Java CPU backend: Vector API kernels when available ({@link KernelsProvider}), scalar otherwise. */
public final class CpuBackend implements Backend {
    private final CpuKernels kernels;
    private final HeadQuantization head;

    /** Uses the kernels {@link KernelsProvider#get()} picks for this JVM. */
    public CpuBackend() {
        this(KernelsProvider.get());
    }

    /** Uses the given kernels (tests compare the scalar and vector ones). */
    public CpuBackend(CpuKernels kernels) {
        this(kernels, HeadQuantization.configured());
    }

    /** Uses the given kernels and output-head precision (tests measure the 8-bit head against the exact one). */
    public CpuBackend(CpuKernels kernels, HeadQuantization head) {
        this.kernels = kernels;
        this.head = head;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public LoadedModel load(LlamaWeights weights, EngineOptions options) {
        return new CpuModel(weights, options == null ? EngineOptions.defaults() : options, kernels, head);
    }
}
