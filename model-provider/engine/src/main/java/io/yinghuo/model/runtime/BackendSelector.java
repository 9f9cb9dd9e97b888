package io.yinghuo.model.runtime;

import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.engine.Backend;
import io.yinghuo.model.engine.cpu.CpuBackend;

import java.util.function.Consumer;

/**
 * Picks the backend for a {@link DeviceSpec}. {@code auto} prefers a usable GPU and otherwise uses the CPU, saying
 * why in one log line. The CUDA backend lives in its own module ({@code yinghuo-engine-cuda}, the only one that
 * depends on JCuda) and is looked up by name, so an application that leaves it out runs on the CPU.
 */
public final class BackendSelector {

    static final String CUDA_BACKEND_CLASS = "io.yinghuo.model.engine.cuda.CudaBackend";
    static final String CUDA_MODULE_ABSENT = "the CUDA backend (io.yinghuo:yinghuo-engine-cuda) is not on the class path";

    private BackendSelector() {
    }

    public static Backend select(DeviceSpec device, Consumer<String> log) {
        if (device.kind() == DeviceSpec.Kind.CPU) {
            return new CpuBackend();
        }
        Class<?> cuda;
        try {
            cuda = Class.forName(CUDA_BACKEND_CLASS);
        } catch (ClassNotFoundException e) {
            if (device.kind() == DeviceSpec.Kind.CUDA) {
                throw new IllegalArgumentException("device " + device + " was asked for, but " + CUDA_MODULE_ABSENT
                        + ": add it to the application, or use device cpu (or auto)");
            }
            log.accept("device auto: " + CUDA_MODULE_ABSENT + "; running on the CPU");
            return new CpuBackend();
        }
        try {
            return (Backend) cuda.getMethod("open", DeviceSpec.class, Consumer.class).invoke(null, device, log);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (device.kind() == DeviceSpec.Kind.CUDA) {
                throw new IllegalArgumentException("device " + device + ": " + cause.getMessage(), cause);
            }
            log.accept("device auto: no usable GPU (" + cause.getMessage() + "); running on the CPU");
            return new CpuBackend();
        }
    }
}
