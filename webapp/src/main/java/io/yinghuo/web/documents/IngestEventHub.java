package io.yinghuo.web.documents;

import io.javalin.http.Context;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.web.Json;
import io.yinghuo.web.Messages;
import jakarta.servlet.ServletOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The subscribers of {@code GET /api/ingest/events}, served without a thread each: every stream is a Servlet async
 * request (no timeout) written with non-blocking I/O ({@link EventStream}), and one broadcaster thread fans the
 * events out. The ingest listener only hands each progress event to the broadcaster's queue, so neither ingestion
 * nor the other subscribers wait for a slow client; each client has its own queue of unwritten events, and one
 * that falls {@value IngestRoutes#MAX_BEHIND} events behind is disconnected (EventSource reconnects and catches up).
 * The broadcaster also looks at the vector backfill every {@value IngestRoutes#VECTORS_MILLIS} ms (a {@code vectors}
 * event to each client whose last one differs) and sends a comment line to a client that has had nothing for
 * {@value IngestRoutes#HEARTBEAT_MILLIS} ms, which keeps the connection open and finds clients that have gone.
 */
final class IngestEventHub implements AutoCloseable {

    /**
     * @param tickMillis how often the broadcaster looks at the vector backfill and for quiet streams
     * @param heartbeatMillis how long a stream may go without an event before it gets a comment line
     * @param maxBehind how many unwritten events end a stream
     */
    record Timings(long tickMillis, long heartbeatMillis, int maxBehind) {
        static final Timings DEFAULT = new Timings(IngestRoutes.VECTORS_MILLIS, IngestRoutes.HEARTBEAT_MILLIS,
                IngestRoutes.MAX_BEHIND);
    }

    private static final Logger LOG = LoggerFactory.getLogger(IngestEventHub.class);

    private final IngestJobs jobs;
    private final Supplier<String> vectorsNow;
    private final Timings timings;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<IngestProgress> published = new LinkedBlockingQueue<>();
    private final Consumer<IngestProgress> listener = published::offer;
    private final Thread broadcaster;
    private volatile boolean closed;

    /**
     * @param vectorsNow the {@code vectors} object as JSON, or null when the server has no embedding model
     */
    IngestEventHub(IngestJobs jobs, Supplier<String> vectorsNow, Timings timings) {
        this.jobs = jobs;
        this.vectorsNow = vectorsNow;
        this.timings = timings;
        jobs.subscribe(listener);
        this.broadcaster = new Thread(this::broadcast, "yinghuo-ingest-events");
        broadcaster.setDaemon(true);
        broadcaster.start();
    }

    /** Opens an event stream on this request; the request's thread returns at once. */
    void open(Context ctx) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no"); // reverse proxies: do not buffer the stream
        CompletableFuture<Void> done = new CompletableFuture<>();
        Messages.Lang lang = Messages.lang(ctx);
        // Javalin starts the async request before calling the supplier, and completes it when the future completes.
        ctx.future(() -> {
            try {
                ctx.req().getAsyncContext().setTimeout(0); // the stream stays open until one side ends it
                subscribe(ctx.res().getOutputStream(), lang, () -> done.complete(null));
            } catch (IOException | RuntimeException e) {
                done.complete(null);
            }
            return done;
        });
    }

    /**
     * Registers a stream on {@code out} and queues what a connecting client gets: a {@code progress} event for each
     * unfinished job, then the {@code vectors} event (with an embedding model).
     *
     * @param onEnd run once when the stream ends
     */
    void subscribe(ServletOutputStream out, Messages.Lang lang, Runnable onEnd) {
        EventStream stream = new EventStream(out, lang, timings.maxBehind(), ended -> {
            streams.remove(ended);
            onEnd.run();
        });
        synchronized (stream) {
            // Registered before the snapshot, so no event falls between; any event the broadcaster has for this
            // stream waits for this lock and so follows the snapshot.
            streams.add(stream);
            if (closed) {
                stream.close();
                return;
            }
            List<byte[]> first = new ArrayList<>();
            for (IngestProgress p : jobs.unfinished()) {
                first.add(progressEvent(p, lang));
            }
            String vectors = vectorsNow.get();
            if (vectors != null) {
                first.add(event("vectors", vectors));
            }
            stream.start(first, vectors);
        }
    }

    /** The streams open now. */
    int openStreams() {
        return streams.size();
    }

    /** What the broadcaster thread is doing: waiting for the next event or look when idle, ended after close. */
    Thread.State broadcasterState() {
        return broadcaster.getState();
    }

    /** Ends every stream and stops the broadcaster (server shutdown). */
    @Override
    public void close() {
        closed = true;
        jobs.unsubscribe(listener);
        broadcaster.interrupt();
        for (EventStream stream : streams) {
            stream.close();
        }
    }

    private void broadcast() {
        long nextTick = System.nanoTime();
        while (!closed) {
            try {
                long wait = nextTick - System.nanoTime();
                IngestProgress p = wait > 0 ? published.poll(wait, TimeUnit.NANOSECONDS) : published.poll();
                if (p != null) {
                    Map<Messages.Lang, byte[]> events = new EnumMap<>(Messages.Lang.class);
                    for (EventStream stream : streams) {
                        stream.send(events.computeIfAbsent(stream.lang(), l -> progressEvent(p, l)));
                    }
                }
                if (System.nanoTime() - nextTick >= 0) {
                    nextTick = System.nanoTime() + timings.tickMillis() * 1_000_000;
                    tick();
                }
            } catch (InterruptedException e) {
                return; // closing
            } catch (RuntimeException e) {
                LOG.warn("ingest event broadcaster", e);
            }
        }
    }

    /** Sends a {@code vectors} event where the backfill moved and a heartbeat where a stream has been quiet. */
    private void tick() {
        if (streams.isEmpty()) {
            return;
        }
        String now = vectorsNow.get();
        byte[] event = now == null ? null : event("vectors", now);
        long quietSince = System.nanoTime() - timings.heartbeatMillis() * 1_000_000;
        for (EventStream stream : streams) {
            stream.tick(now, event, quietSince);
        }
    }

    private static byte[] progressEvent(IngestProgress p, Messages.Lang lang) {
        return event("progress", Json.write(DocumentJson.progress(p, lang)));
    }

    private static byte[] event(String name, String json) {
        return ("event: " + name + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
