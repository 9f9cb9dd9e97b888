package io.yinghuo.web.documents;

import io.javalin.http.Context;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.web.Json;
import io.yinghuo.web.Messages;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The subscribers of {@code GET /api/ingest/events}, served without a thread each: every stream is a Servlet async
 * request (no timeout) written with non-blocking I/O ({@link WriteListener}), and one broadcaster thread fans the
 * events out. The ingest listener only hands each progress event to the broadcaster's queue, so neither ingestion
 * nor the other subscribers wait for a slow client; each client has its own queue of unwritten events, and one
 * that falls {@value IngestRoutes#MAX_BEHIND} events behind is disconnected (EventSource reconnects and catches up).
 * The broadcaster also looks at the vector backfill every {@value IngestRoutes#VECTORS_MILLIS} ms (a {@code vectors}
 * event to each client whose last one differs) and sends a comment line to a client that has had nothing for
 * {@value IngestRoutes#HEARTBEAT_MILLIS} ms, which keeps the connection open and finds clients that have gone.
 */
final class IngestEventHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestEventHub.class);
    private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final IngestJobs jobs;
    private final VectorStatus vectors;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<IngestProgress> published = new LinkedBlockingQueue<>();
    private final Consumer<IngestProgress> listener = published::offer;
    private final Thread broadcaster;
    private volatile boolean closed;

    IngestEventHub(IngestJobs jobs, VectorStatus vectors) {
        this.jobs = jobs;
        this.vectors = vectors;
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
                AsyncContext async = ctx.req().getAsyncContext();
                async.setTimeout(0);
                Subscriber subscriber = new Subscriber(ctx.res().getOutputStream(), done, lang);
                done.whenComplete((ignored, error) -> subscriber.close());
                subscriber.start();
            } catch (IOException | RuntimeException e) {
                done.complete(null);
            }
            return done;
        });
    }

    /** Ends every stream and stops the broadcaster (server shutdown). */
    @Override
    public void close() {
        closed = true;
        jobs.unsubscribe(listener);
        broadcaster.interrupt();
        for (Subscriber subscriber : subscribers) {
            subscriber.close();
        }
    }

    private void broadcast() {
        long nextTick = System.nanoTime();
        while (!closed) {
            try {
                long wait = nextTick - System.nanoTime();
                IngestProgress p = wait > 0 ? published.poll(wait, TimeUnit.NANOSECONDS) : published.poll();
                if (p != null) {
                    java.util.Map<Messages.Lang, byte[]> events = new java.util.EnumMap<>(Messages.Lang.class);
                    for (Subscriber subscriber : subscribers) {
                        subscriber.send(events.computeIfAbsent(subscriber.lang,
                                l -> event("progress", Json.write(DocumentJson.progress(p, l)))));
                    }
                }
                if (System.nanoTime() - nextTick >= 0) {
                    nextTick = System.nanoTime() + IngestRoutes.VECTORS_MILLIS * 1_000_000;
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
        if (subscribers.isEmpty()) {
            return;
        }
        String now = vectors.enabled() ? Json.write(vectors.json()) : null;
        byte[] event = now == null ? null : event("vectors", now);
        long quietSince = System.nanoTime() - IngestRoutes.HEARTBEAT_MILLIS * 1_000_000;
        for (Subscriber subscriber : subscribers) {
            subscriber.tick(now, event, quietSince);
        }
    }

    private static byte[] event(String name, String json) {
        return ("event: " + name + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** One open stream: its unwritten events, written whenever the connection can take them. */
    private final class Subscriber implements WriteListener {

        private final ServletOutputStream out;
        private final CompletableFuture<Void> done;
        private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
        private boolean unflushed = true; // the first flush commits the headers: the client sees the stream open
        private boolean ended;
        private boolean writable; // no write before Jetty's first onWritePossible: it would block the caller
        private String sentVectors;
        private long lastWrite = System.nanoTime();
        private final Messages.Lang lang;

        Subscriber(ServletOutputStream out, CompletableFuture<Void> done, Messages.Lang lang) {
            this.out = out;
            this.done = done;
            this.lang = lang;
        }

        /** Queues what a connecting client gets (each unfinished job, the vectors) and starts writing. */
        void start() {
            synchronized (this) {
                // Registered before the snapshot, so no event falls between; any event the broadcaster has for this
                // stream waits for this lock and so follows the snapshot.
                subscribers.add(this);
                if (closed) {
                    end();
                    return;
                }
                for (IngestProgress p : jobs.unfinished()) {
                    pending.add(event("progress", Json.write(DocumentJson.progress(p, lang))));
                }
                if (vectors.enabled()) {
                    sentVectors = Json.write(vectors.json());
                    pending.add(event("vectors", sentVectors));
                }
                out.setWriteListener(this); // Jetty calls onWritePossible once the connection can be written
            }
        }

        synchronized void send(byte[] event) {
            if (ended) {
                return;
            }
            if (pending.size() >= IngestRoutes.MAX_BEHIND) {
                end(); // too slow
                return;
            }
            pending.add(event);
            lastWrite = System.nanoTime();
            drain();
        }

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

        /** Writes while the connection is ready; when it is not, Jetty calls {@link #onWritePossible} later. */
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

        void close() {
            synchronized (this) {
                end();
            }
        }

        private void end() {
            subscribers.remove(this);
            if (!ended) {
                ended = true;
                pending.clear();
                done.complete(null); // Javalin completes the async request
            }
        }
    }
}
