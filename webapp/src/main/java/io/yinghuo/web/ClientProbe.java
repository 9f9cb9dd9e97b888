package io.yinghuo.web;

import io.javalin.http.Context;
import io.yinghuo.web.generation.QueuedGeneration;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Tells whether the client of a request whose response has not begun (a non-streamed generation) is still there.
 *
 * <p>Why a read: while a request is being handled, Jetty 11 does not watch its connection (no read is pending once
 * the body has been read), so a client that closes the socket is noticed only at the first write, and a non-streamed
 * response writes only at the very end. A non-blocking read of the socket answers at once: -1 (or an error) when the
 * client has closed or reset its side, 0 while it waits for the answer.
 *
 * <p>Limits: a client that pipelines its next request on the same connection (browsers, curl and the OpenAI SDKs do
 * not) would have the first byte of it consumed here; the response is then sent with {@code Connection: close} and
 * this probe stops probing, so the client resends that request on a new connection. Over TLS or another transport
 * than a plain socket there is no probe and the client always counts as connected.
 */
public final class ClientProbe {

    /** The client has gone; its request should stop and write nothing. */
    public static final class ClientGoneException extends IOException {
        ClientGoneException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@link #checkOften()} reads the socket at most this often (tokens can come every millisecond). */
    private static final long OFTEN_NANOS = 100_000_000L;

    private final Context ctx;
    private final EndPoint endPoint;
    private boolean stopped;
    private boolean gone;
    private long lastCheck;

    private ClientProbe(Context ctx, EndPoint endPoint) {
        this.ctx = ctx;
        this.endPoint = endPoint;
        this.stopped = endPoint == null;
    }

    /** A probe for the request's connection (one that never probes where the connection is not a plain socket). */
    public static ClientProbe of(Context ctx) {
        EndPoint endPoint = null;
        try {
            Request base = Request.getBaseRequest(ctx.req());
            if (base != null && base.getHttpChannel() != null
                    && base.getHttpChannel().getEndPoint() instanceof SocketChannelEndPoint socket) {
                endPoint = socket;
            }
        } catch (RuntimeException e) {
            // not a Jetty request (a test double): no probe
        }
        return new ClientProbe(ctx, endPoint);
    }

    /**
     * Reads the socket without waiting.
     *
     * @throws ClientGoneException when the client has closed or reset the connection
     */
    public void check() throws ClientGoneException {
        if (gone) {
            throw new ClientGoneException("the client has closed the connection", null);
        }
        if (stopped) {
            return;
        }
        lastCheck = System.nanoTime();
        ByteBuffer buffer = BufferUtil.allocate(1);
        int read;
        try {
            read = endPoint.fill(buffer);
        } catch (IOException e) {
            gone = true;
            throw new ClientGoneException("the client connection failed: " + e.getMessage(), e);
        }
        if (read < 0 || !endPoint.isOpen()) {
            gone = true;
            throw new ClientGoneException("the client has closed the connection", null);
        }
        if (read > 0) {
            // a pipelined request: its first byte cannot be put back, so end the connection after this response
            stopped = true;
            ctx.header("Connection", "close");
        }
    }

    /**
     * What a non-streamed generation reports to: nothing is written (the client waits for the whole body), but the
     * client is checked while queued, at every heartbeat and every 100 ms of tokens, so that an abandoned request
     * leaves the queue or has its generation cancelled.
     */
    public QueuedGeneration.Listener listener() {
        return new QueuedGeneration.Listener() {
            @Override
            public void queued(int ahead) throws IOException {
                check();
            }

            @Override
            public void token(String text) throws IOException {
                checkOften();
            }

            @Override
            public void heartbeat() throws IOException {
                check();
            }

            @Override
            public void starting() throws IOException {
                check();
            }
        };
    }

    /** {@link #check()}, at most every 100 ms: for calls per generated token. */
    public void checkOften() throws ClientGoneException {
        if (gone || System.nanoTime() - lastCheck >= OFTEN_NANOS) {
            check();
        }
    }
}
