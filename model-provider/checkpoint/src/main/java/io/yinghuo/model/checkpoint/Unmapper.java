package io.yinghuo.model.checkpoint;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Explicit unmapping of a {@link java.nio.MappedByteBuffer} on Java 17, which has no supported API for it: the JDK
 * unmaps only when the buffer is garbage collected. {@code sun.misc.Unsafe#invokeCleaner} (module jdk.unsupported,
 * the way Lucene's MMapDirectory unmaps on Java 9-18) runs the buffer's cleaner at once.
 *
 * <p>Unmapping is only safe when nothing can touch the buffer (or any view of it) afterwards: an access then reads
 * unmapped memory and crashes the JVM. Callers keep their mappings private for that reason.
 *
 * <p>From Java 24 on, calling {@code invokeCleaner} prints a "terminally deprecated method in sun.misc.Unsafe"
 * warning (JEP 498) unless the JVM runs with {@code --sun-misc-unsafe-memory-access=allow} (the yinghuo command line
 * passes it when it relaunches): without that flag, mappings there are left to the garbage collector.
 */
final class Unmapper {
    private static final MethodHandle INVOKE_CLEANER = lookUp();

    private Unmapper() {
    }

    /** False on runtimes without jdk.unsupported (e.g. a jlink image that left it out). */
    static boolean available() {
        return INVOKE_CLEANER != null;
    }

    /**
     * Unmaps {@code mapping}, the very buffer {@code FileChannel.map} returned (not a slice or duplicate).
     *
     * @return false when explicit unmapping is unavailable or refused; the mapping then goes with the buffer's GC
     */
    static boolean unmap(ByteBuffer mapping) {
        if (INVOKE_CLEANER == null) {
            return false;
        }
        try {
            INVOKE_CLEANER.invokeExact(mapping);
            return true;
        } catch (RuntimeException e) {
            return false; // e.g. IllegalArgumentException for a view: the JDK's own cleanup still applies
        } catch (Throwable e) {
            throw new IllegalStateException("unmapping failed: " + e, e);
        }
    }

    private static MethodHandle lookUp() {
        if (Runtime.version().feature() >= 24
                && !"allow".equals(System.getProperty("sun.misc.unsafe.memory.access"))) {
            return null;
        }
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Object unsafe = field.get(null);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(unsafe);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
