package io.yinghuo.model.engine.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

/** Test-side device buffers: uploads, poisoned outputs (NaN in every float) and downloads. */
final class Gpu implements AutoCloseable {
    /** A quiet NaN: any output element a kernel fails to write stays NaN and fails the comparison. */
    static final int POISON = 0x7FC00000;

    final CudaDevice device;
    final CudaKernels k;
    final DeviceMemory memory = new DeviceMemory();

    Gpu() {
        this.device = CudaTestSupport.assumeGpu();
        this.k = device.kernels;
    }

    CUdeviceptr floats(float[] v) {
        return memory.upload(v);
    }

    CUdeviceptr ints(int[] v) {
        return memory.upload(v);
    }

    CUdeviceptr halves(short[] v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(v);
        return memory.upload(b, 2L * v.length);
    }

    CUdeviceptr bytes(ByteBuffer b, long length) {
        return memory.upload(b, length);
    }

    /** {@code words} floats of NaN. */
    CUdeviceptr poisoned(long words) {
        CUdeviceptr p = memory.allocate(4 * words);
        cuMemsetD32(p, POISON, words);
        return p;
    }

    /** {@code count} fp16 NaNs (0x7E00), count even. */
    CUdeviceptr poisonedHalves(long count) {
        CUdeviceptr p = memory.allocate(2 * count);
        cuMemsetD32(p, 0x7E007E00, count / 2);
        return p;
    }

    float[] download(CUdeviceptr p, int count) {
        device.synchronize();
        float[] out = new float[count];
        cuMemcpyDtoH(Pointer.to(out), p, 4L * count);
        return out;
    }

    short[] downloadHalves(CUdeviceptr p, int count) {
        device.synchronize();
        short[] out = new short[count];
        cuMemcpyDtoH(Pointer.to(out), p, 2L * count);
        return out;
    }

    @Override
    public void close() {
        memory.close();
    }
}
