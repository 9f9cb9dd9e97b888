package io.yinghuo.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;

/**
 * A TCP relay on loopback in front of a server, that a test can cut as a crash would: every open connection is
 * closed at once (a stream in progress breaks off) and the port refuses connections from then on.
 */
final class TcpRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    /** When set, the server's first Server-Sent Event matching it is relayed, then nothing more until the cut. */
    private volatile Pattern holdAfterEvent;
    private volatile boolean holding;
    private final CountDownLatch released = new CountDownLatch(1);
    /** Counted down when a client closes its connection (the relay then closes the server's side too). */
    private final CountDownLatch clientLeft = new CountDownLatch(1);

    TcpRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "tcp-relay-" + listener.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /**
     * Arms a stall that lets a test crash the server mid-stream however fast it answers: the server's first
     * Server-Sent Event (an event ends with a blank line) in which {@code event} is found is relayed whole, then
     * nothing more is relayed until {@link #cut}. {@code null} disarms.
     */
    void holdAfterEvent(Pattern event) {
        holdAfterEvent = event;
    }

    /** Whether a stream is held after its matching event. */
    boolean holding() {
        return holding;
    }

    /** Waits until a client has closed a connection through this relay; false after {@code millis}. */
    boolean awaitClientLeft(long millis) throws InterruptedException {
        return clientLeft.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Breaks every connection and refuses new ones. */
    void cut() {
        cut = true;
        released.countDown();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0); // a reset, as when the process dies
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private void acceptLoop() {
        while (!cut) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromServer) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            // what the server sent so far, one char per byte (the markers are ASCII), and how much was relayed
            StringBuilder seen = new StringBuilder();
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    Pattern armed = fromServer ? holdAfterEvent : null;
                    if (armed == null) {
                        out.write(buffer, 0, n);
                        out.flush();
                        continue;
                    }
                    int relayed = seen.length();
                    seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    var match = armed.matcher(seen);
                    int end = match.find() ? seen.indexOf("\n\n", match.start()) : -1;
                    if (end < 0) {
                        out.write(buffer, 0, n);
                        out.flush();
                        continue;
                    }
                    int upTo = Math.max(relayed, end + 2);
                    holding = true; // before the event leaves: whoever reads it already sees the stream held
                    out.write(buffer, 0, upTo - relayed);
                    out.flush();
                    released.await();
                    return;
                }
                if (!fromServer && !cut) {
                    clientLeft.countDown(); // the client's end of the stream: it closed the connection
                }
            } catch (IOException ignored) {
                // one side closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closed
                }
            }
        }, "tcp-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        cut();
    }
}
