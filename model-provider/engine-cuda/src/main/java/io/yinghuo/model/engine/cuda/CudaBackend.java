package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.engine.Backend;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.weights.LlamaWeights;

import java.util.function.Consumer;

/**
 * The NVIDIA GPU backend through JCuda's driver API: kernels from the fatbin the jar carries
 * (src/main/cuda), weights uploaded once per model, KV caches on the device. {@code BackendSelector} finds this
 * class by name and calls {@link #open}; no other package touches JCuda.
 */
public final class CudaBackend implements Backend {
    private final CudaDevice device;

    private CudaBackend(CudaDevice device) {
        this.device = device;
    }

    /**
     * The backend on the GPU the spec names ({@code cuda:N}; {@code auto} means GPU 0).
     *
     * @throws IllegalStateException saying why no usable GPU is there (no driver or JCuda natives, no device,
     *     compute capability below 8.0, kernels the driver cannot load)
     */
    public static Backend open(DeviceSpec spec, Consumer<String> log) {
        int index = spec.kind() == DeviceSpec.Kind.CUDA ? spec.cudaIndex() : 0;
        CudaDevice device = CudaDevice.open(index);
        if (log != null) {
            log.accept("device " + spec + ": " + device.description());
        }
        return new CudaBackend(device);
    }

    @Override
    public String name() {
        return "cuda";
    }

    /**
     * @throws IllegalArgumentException when the weights do not fit this backend or the GPU's free memory (the
     *     message gives the sizes and what to lower)
     */
    @Override
    public LoadedModel load(LlamaWeights weights, EngineOptions options) {
        return new CudaModel(device, weights, options == null ? EngineOptions.defaults() : options);
    }
}
