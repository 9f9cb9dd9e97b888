package io.yinghuo.web.documents;

import io.yinghuo.web.Messages;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * One open Server-Sent Events stream: its unwritten events, written whenever the connection can take them. Writes
 * use Servlet non-blocking I/O (Servlet 3.1, {@link ServletOutputStream#isReady} and {@link WriteListener}): nothing
 * is written before the container's first {@link #onWritePossible}, and a write stops as soon as the connection
 * cannot take more, so no caller (the broadcaster, ingestion) ever blocks on a slow client. A client whose queue
 * reaches {@code maxBehind} unwritten events is ended instead (EventSource reconnects and catches up).
 */
final class EventStream implements WriteListener {

    static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final ServletOutputStream out;
    private final Messages.Lang lang;
    private final int maxBehind;
    private final Consumer<EventStream> onEnd;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private boolean unflushed = true; // the first flush commits the headers: the client sees the stream open
    private boolean ended;
    private boolean writable; // no write before the container's first onWritePossible: it would block the caller
    private String sentVectors;
    private long lastWrite = System.nanoTime();

    /**
     * @param out the response's output stream (not yet in non-blocking mode)
     * @param lang the language of the client's messages
     * @param maxBehind how many unwritten events end the stream
     * @param onEnd given this stream once when it ends, whatever the cause (the client went away, fell behind, the
     *              server closes)
     */
    EventStream(ServletOutputStream out, Messages.Lang lang, int maxBehind, Consumer<EventStream> onEnd) {
        this.out = out;
        this.lang = lang;
        this.maxBehind = maxBehind;
        this.onEnd = onEnd;
    }

    Messages.Lang lang() {
        return lang;
    }

    /**
     * Queues what a connecting client gets first and starts writing: the output stream goes non-blocking here, and
     * the container calls {@link #onWritePossible} once the connection can be written.
     *
     * @param first the events to send first, in order
     * @param vectors the vectors state the last of them reports, or null when none does
     */
    synchronized void start(List<byte[]> first, String vectors) {
        pending.addAll(first);
        sentVectors = vectors;
        out.setWriteListener(this);
    }

    /** Queues an event and writes what the connection takes now. */
    synchronized void send(byte[] event) {
        if (ended) {
            return;
        }
        if (pending.size() >= maxBehind) {
            end(); // too slow
            return;
        }
        pending.add(event);
        lastWrite = System.nanoTime();
        drain();
    }

    /**
     * The periodic look: a {@code vectors} event when the backfill's state differs from the last one sent, else a
     * heartbeat when nothing was queued since {@code quietSince} ({@link System#nanoTime} units).
     *
     * @param vectorsNow the vectors state now, or null without an embedding model
     * @param vectorsEvent its event
     */
    synchronized void tick(String vectorsNow, byte[] vectorsEvent, long quietSince) {
        if (vectorsNow != null && !vectorsNow.equals(sentVectors)) {
            sentVectors = vectorsNow;
            send(vectorsEvent);
        } else if (lastWrite - quietSince <= 0) {
            send(HEARTBEAT);
        }
    }

    @Override
    public synchronized void onWritePossible() {
        writable = true;
        drain();
    }

    @Override
    public void onError(Throwable t) {
        close(); // the client went away
    }

    /** Writes while the connection is ready; when it is not, the container calls {@link #onWritePossible} later. */
    private void drain() {
        if (ended || !writable) {
            return;
        }
        try {
            while (out.isReady()) {
                byte[] next = pending.poll();
                if (next != null) {
                    out.write(next);
                    unflushed = true;
                } else if (unflushed) {
                    unflushed = false;
                    out.flush();
                } else {
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            end(); // the client went away
        }
    }

    /** Ends the stream (idempotent); its unwritten events are dropped. */
    synchronized void close() {
        end();
    }

    synchronized boolean ended() {
        return ended;
    }

    private void end() {
        if (!ended) {
            ended = true;
            pending.clear();
            onEnd.accept(this);
        }
    }
}
