package io.yinghuo.web.documents;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * A response's output stream in Servlet non-blocking mode, as the container drives it: a test says when the
 * connection can take no more ({@link #block}) and when it can again ({@link #unblock}: the container's
 * {@code onWritePossible}); a write while not ready fails as Jetty's does, and {@link #failWrites} makes every write
 * fail as a closed connection's would. Readers wait for the text with {@link #await} (no sleeping).
 */
final class FakeEventOutput extends ServletOutputStream {

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private boolean ready = true;
    private boolean failing;
    private int flushes;
    private WriteListener listener;

    @Override
    public synchronized boolean isReady() {
        return ready;
    }

    @Override
    public synchronized void setWriteListener(WriteListener writeListener) {
        listener = writeListener;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (failing) {
            throw new IOException("Broken pipe");
        }
        if (!ready) {
            throw new IllegalStateException("write while not ready");
        }
        written.write(b, off, len);
        notifyAll();
    }

    @Override
    public synchronized void flush() {
        flushes++;
        notifyAll();
    }

    /** The listener the stream registered (null before it went non-blocking). */
    synchronized WriteListener listener() {
        return listener;
    }

    /** The container's first call: the connection can be written. */
    void open() {
        writePossible(listener());
    }

    synchronized void block() {
        ready = false;
    }

    /** The connection drained: ready again, and the container calls {@code onWritePossible}. */
    void unblock() {
        WriteListener l;
        synchronized (this) {
            ready = true;
            l = listener;
        }
        writePossible(l);
    }

    private static void writePossible(WriteListener l) {
        try {
            l.onWritePossible();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    synchronized void failWrites() {
        failing = true;
    }

    synchronized String text() {
        return written.toString(StandardCharsets.UTF_8);
    }

    synchronized int flushes() {
        return flushes;
    }

    /** Waits (at most 10 s) until the written text satisfies {@code condition}, and returns it. */
    synchronized String await(Predicate<String> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.test(text())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the stream never satisfied the condition; it holds:\n" + text());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return text();
    }
}
