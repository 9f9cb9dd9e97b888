package io.yinghuo.model.engine.cuda;

import org.junit.jupiter.api.Assumptions;

/**
 * Whether this machine has a GPU the backend can use. GPU tests call {@link #assumeGpu()} and are skipped, with
 * the backend's own reason, where it has none.
 */
final class CudaTestSupport {
    private static String reason;
    private static boolean probed;

    private CudaTestSupport() {
    }

    /** Null when GPU 0 opens, else why not (CudaBackend.open's message). */
    static synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            try {
                CudaDevice.open(0);
            } catch (IllegalStateException e) {
                reason = e.getMessage();
            }
        }
        return reason;
    }

    /** GPU 0, or the test is skipped with the reason there is none. */
    static CudaDevice assumeGpu() {
        String why = unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "no usable CUDA GPU, test skipped: " + why);
        CudaDevice d = CudaDevice.open(0);
        d.makeCurrent();
        return d;
    }
}
