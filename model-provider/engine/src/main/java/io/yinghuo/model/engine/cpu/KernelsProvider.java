package io.yinghuo.model.engine.cpu;

import java.lang.invoke.MethodHandles;
import java.util.logging.Logger;

/**
 * Picks the CPU kernels once per JVM, in the manner of Lucene's VectorizationProvider: the Vector API kernels
 * when module jdk.incubator.vector is in the boot layer (run with {@code --add-modules jdk.incubator.vector}) and
 * not disabled with {@code -Dyinghuo.vector=false}; the scalar kernels otherwise. The vector kernels live in their
 * own module ({@code yinghuo-engine-vector}, the only one compiled with the incubator module) and are loaded by name,
 * so nothing here links against the incubator module.
 */
public final class KernelsProvider {
    /** System property that forces the scalar kernels when set to "false". */
    public static final String VECTOR_PROPERTY = "yinghuo.vector";
    private static final String VECTOR_CLASS = "io.yinghuo.model.engine.cpu.vector.VectorKernels";
    private static final Logger LOG = Logger.getLogger(KernelsProvider.class.getName());

    private KernelsProvider() {
    }

    /** The kernels this JVM uses. */
    public static CpuKernels get() {
        return Holder.INSTANCE;
    }

    /**
     * The kernels of this JVM's kind (vector or scalar) with the given activations, e.g. FLOAT where results are
     * compared with another backend's float arithmetic.
     */
    public static CpuKernels get(ActivationMode activations) {
        CpuKernels k = get();
        if (k.activations() == activations) {
            return k;
        }
        if (k == Holder.VECTOR) {
            CpuKernels v = Holder.loadVector(activations);
            if (v != null) {
                return v;
            }
        }
        return new ScalarKernels(activations);
    }

    /** The scalar kernels (always available). */
    public static CpuKernels scalar() {
        return Holder.SCALAR;
    }

    /** The Vector API kernels, or null when the module is absent or they cannot run here. */
    public static CpuKernels vectorOrNull() {
        return Holder.VECTOR;
    }

    /** Holder idiom: initialised on first use, no class-loading deadlock between the two. */
    private static final class Holder {
        static final ActivationMode ACTIVATIONS = ActivationMode.configured();
        static final CpuKernels SCALAR = new ScalarKernels(ACTIVATIONS);
        static final CpuKernels VECTOR = loadVector(ACTIVATIONS);
        static final CpuKernels INSTANCE = choose();

        private static CpuKernels choose() {
            if ("false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY, "true"))) {
                return SCALAR;
            }
            if (VECTOR == null) {
                LOG.warning("Vector API not available: the CPU backend uses scalar kernels (several times "
                        + "slower). Run Java with '--add-modules jdk.incubator.vector' to enable them.");
                return SCALAR;
            }
            return VECTOR;
        }

        private static CpuKernels loadVector(ActivationMode activations) {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return null;
            }
            try {
                Class<?> c = MethodHandles.lookup().findClass(VECTOR_CLASS);
                return (CpuKernels) c.getConstructor(ActivationMode.class).newInstance(activations);
            } catch (ClassNotFoundException e) {
                LOG.warning("the Vector API kernels (io.yinghuo:yinghuo-engine-vector) are not on the class path; "
                        + "using scalar kernels (several times slower)");
                return null;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                LOG.warning("Vector API kernels could not be loaded (" + e + "); using scalar kernels");
                return null;
            }
        }
    }
}
