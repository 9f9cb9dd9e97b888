package io.yinghuo.model.engine.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

/**
 * The device allocations of one owner (a model's weights and scratch, a session's KV cache), freed together by
 * {@link #close()}. A process-wide count of live allocations lets tests prove that closing frees everything.
 * The caller has made the device's context current.
 */
final class DeviceMemory implements AutoCloseable {
    /** Host staging for uploads from buffers the driver cannot read directly (heap views, read-only views). */
    private static final int STAGING_BYTES = 16 << 20;
    private static final AtomicLong LIVE_ALLOCATIONS = new AtomicLong();
    private static final AtomicLong LIVE_BYTES = new AtomicLong();

    private final List<CUdeviceptr> pointers = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();
    private long bytes;
    private boolean closed;

    static long liveAllocations() {
        return LIVE_ALLOCATIONS.get();
    }

    static long liveBytes() {
        return LIVE_BYTES.get();
    }

    /** Uninitialized device memory of at least one byte. */
    synchronized CUdeviceptr allocate(long size) {
        if (closed) {
            throw new IllegalStateException("device memory already released");
        }
        long n = Math.max(size, 1);
        CUdeviceptr p = new CUdeviceptr();
        cuMemAlloc(p, n);
        pointers.add(p);
        sizes.add(n);
        bytes += n;
        LIVE_ALLOCATIONS.incrementAndGet();
        LIVE_BYTES.addAndGet(n);
        return p;
    }

    CUdeviceptr upload(int[] values) {
        CUdeviceptr p = allocate(4L * values.length);
        if (values.length > 0) {
            cuMemcpyHtoD(p, Pointer.to(values), 4L * values.length);
        }
        return p;
    }

    CUdeviceptr upload(float[] values) {
        CUdeviceptr p = allocate(4L * values.length);
        if (values.length > 0) {
            cuMemcpyHtoD(p, Pointer.to(values), 4L * values.length);
        }
        return p;
    }

    /** Copies {@code length} bytes from the buffer's start (not its position) to new device memory. */
    CUdeviceptr upload(ByteBuffer source, long length) {
        CUdeviceptr p = allocate(length);
        copy(source, length, p);
        return p;
    }

    static void copy(ByteBuffer source, long length, CUdeviceptr dst) {
        ByteBuffer src = source.duplicate();
        src.clear();
        if (length > src.capacity()) {
            throw new IllegalArgumentException("buffer of " + src.capacity() + " bytes, " + length + " wanted");
        }
        if (src.isDirect()) {
            cuMemcpyHtoD(dst, Pointer.to(src.slice()), length);
            return;
        }
        ByteBuffer staging = ByteBuffer.allocateDirect((int) Math.min(STAGING_BYTES, Math.max(length, 1)))
                .order(ByteOrder.LITTLE_ENDIAN);
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(staging.capacity(), length - done);
            ByteBuffer part = src.duplicate();
            part.position((int) done).limit((int) done + n);
            staging.clear();
            staging.put(part).flip();
            cuMemcpyHtoD(dst.withByteOffset(done), Pointer.to(staging), n);
            done += n;
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Frees every allocation; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (int i = 0; i < pointers.size(); i++) {
            try {
                cuMemFree(pointers.get(i));
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
            LIVE_ALLOCATIONS.decrementAndGet();
            LIVE_BYTES.addAndGet(-sizes.get(i));
        }
        pointers.clear();
        sizes.clear();
        bytes = 0;
        if (first != null) {
            throw first;
        }
    }
}
