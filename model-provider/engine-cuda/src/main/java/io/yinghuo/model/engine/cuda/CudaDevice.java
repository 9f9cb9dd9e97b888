package io.yinghuo.model.engine.cuda;

import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

/**
 * One GPU as the engine uses it: its primary context (shared by every model on it, retained for the life of the
 * JVM), the kernel module loaded once from the carried fatbin, and what the memory checks and launch sizes need.
 * Every thread that touches the device calls {@link #makeCurrent()} first (driver contexts are per thread).
 */
final class CudaDevice {
    /** Compute capability the carried cubins start at (build.sh: sm_80). */
    static final int MIN_MAJOR = 8;

    private static final Map<Integer, CudaDevice> OPEN = new HashMap<>();
    private static String unavailable;

    final int index;
    final String name;
    final int major;
    final int minor;
    final int multiprocessors;
    final long totalMemory;
    final int driverVersion;
    final CudaKernels kernels;
    private final CUcontext context;

    private CudaDevice(int index, String name, int major, int minor, int multiprocessors, long totalMemory,
                       int driverVersion, CUcontext context, CudaKernels kernels) {
        this.index = index;
        this.name = name;
        this.major = major;
        this.minor = minor;
        this.multiprocessors = multiprocessors;
        this.totalMemory = totalMemory;
        this.driverVersion = driverVersion;
        this.context = context;
        this.kernels = kernels;
    }

    /**
     * The GPU with this index, ready to run the kernels.
     *
     * @throws IllegalStateException saying why there is no usable GPU: no driver or JCuda natives, no device, a
     *     compute capability below 8.0, or kernels the driver cannot load
     */
    static synchronized CudaDevice open(int index) {
        CudaDevice open = OPEN.get(index);
        if (open != null) {
            return open;
        }
        if (unavailable != null) {
            throw new IllegalStateException(unavailable);
        }
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
        } catch (LinkageError e) {
            // UnsatisfiedLinkError the first time, NoClassDefFoundError after: remember the first reason
            unavailable = "the NVIDIA driver (libcuda.so.1 / nvcuda.dll) or JCuda's native library could not be "
                    + "loaded (" + linkFailure(e.getMessage()) + "); install the NVIDIA driver or use --device cpu";
            throw new IllegalStateException(unavailable, e);
        } catch (CudaException e) {
            unavailable = "the CUDA driver did not initialize (" + e.getMessage() + ")";
            throw new IllegalStateException(unavailable, e);
        }
        try {
            int[] count = new int[1];
            cuDeviceGetCount(count);
            if (count[0] == 0) {
                throw new IllegalStateException("no CUDA GPU found");
            }
            if (index >= count[0]) {
                throw new IllegalStateException("GPU " + index + " was asked for, but " + count[0]
                        + " CUDA device(s) exist (cuda:0.." + (count[0] - 1) + ")");
            }
            CUdevice device = new CUdevice();
            cuDeviceGet(device, index);
            byte[] raw = new byte[256];
            cuDeviceGetName(raw, raw.length, device);
            String name = new String(raw, StandardCharsets.UTF_8).trim().replace("\0", "");
            int major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
            int minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            int sms = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            long[] total = new long[1];
            cuDeviceTotalMem(total, device);
            int[] driver = new int[1];
            cuDriverGetVersion(driver);
            if (major < MIN_MAJOR) {
                throw new IllegalStateException("GPU " + index + " (" + name + ") has compute capability " + major
                        + "." + minor + "; the CUDA backend's kernels need 8.0 or newer (Ampere, Ada, Hopper)");
            }
            CUcontext context = new CUcontext();
            cuDevicePrimaryCtxRetain(context, device);
            cuCtxSetCurrent(context);
            CUmodule module = new CUmodule();
            try {
                cuModuleLoadData(module, KernelImage.fatbin());
            } catch (CudaException e) {
                throw new IllegalStateException("the GPU kernels could not be loaded on " + name + " (compute "
                        + major + "." + minor + ", driver API " + version(driver[0]) + "): " + e.getMessage()
                        + "; the carried kernels were built with nvcc 13.0, which needs an NVIDIA driver of release "
                        + "580 or newer", e);
            }
            CudaDevice d = new CudaDevice(index, name, major, minor, sms, total[0], driver[0], context,
                    new CudaKernels(module));
            OPEN.put(index, d);
            return d;
        } catch (CudaException e) {
            throw new IllegalStateException("CUDA device " + index + ": " + e.getMessage(), e);
        }
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] v = new int[1];
        cuDeviceGetAttribute(v, attribute, device);
        return v[0];
    }

    /**
     * The useful part of JCuda's multi-line load failure: the last nested UnsatisfiedLinkError, without the path of
     * the extracted library (e.g. "libcuda.so.1: cannot open shared object file: No such file or directory").
     */
    static String linkFailure(String message) {
        if (message == null || message.isBlank()) {
            return "no detail";
        }
        String prefix = "java.lang.UnsatisfiedLinkError: ";
        String found = null;
        for (String line : message.split("\\R")) {
            if (line.startsWith(prefix)) {
                found = line.substring(prefix.length());
            }
        }
        if (found == null) {
            return message.split("\\R", 2)[0];
        }
        for (String ext : new String[] {".so: ", ".dll: ", ".dylib: "}) {
            int at = found.indexOf(ext);
            if (at >= 0) {
                return found.substring(at + ext.length());
            }
        }
        return found;
    }

    static String version(int v) {
        return (v / 1000) + "." + (v % 1000) / 10;
    }

    static String errorName(int code) {
        return CUresult.stringFor(code);
    }

    /** Binds this device's context to the calling thread. */
    void makeCurrent() {
        cuCtxSetCurrent(context);
    }

    /** Waits for all queued work; launch errors surface here as CudaException. */
    void synchronize() {
        cuCtxSynchronize();
    }

    /** {free, total} device memory in bytes now. */
    long[] memoryInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        cuMemGetInfo(free, total);
        return new long[] {free[0], total[0]};
    }

    String description() {
        return "cuda:" + index + " " + name + " (compute " + major + "." + minor + ", " + multiprocessors + " SMs, "
                + MemoryPlan.gib(totalMemory) + ", driver API " + version(driverVersion) + ")";
    }
}
