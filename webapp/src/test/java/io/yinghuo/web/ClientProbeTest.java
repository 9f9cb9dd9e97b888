package io.yinghuo.web;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.javalin.Javalin;
import io.yinghuo.web.generation.GenerationQueue;
import io.yinghuo.web.generation.QueuedGeneration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClientProbe} on a real Jetty connection, with a model that generates until it is cancelled: clients that
 * close their socket while their non-streamed request is generating or queued stop the generation and leave the
 * queue, so a later caller is served at once.
 */
class ClientProbeTest {

    /** Tokens of an abandoned generation when nothing cancels it: about ten minutes at one token a millisecond. */
    static final int ENDLESS = 600_000;

    /** Generates as many "x" tokens as the user message says, one a millisecond, on its own thread. */
    static final class CountingModel implements StreamingChatModel {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger tokens = new AtomicInteger();
        final CountDownLatch firstToken = new CountDownLatch(1);
        final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            calls.incrementAndGet();
            int count = Integer.parseInt(((UserMessage) request.messages().get(0)).singleText().trim());
            Thread thread = new Thread(() -> {
                AtomicBoolean stop = new AtomicBoolean();
                PartialResponseContext context = new PartialResponseContext(new StreamingHandle() {
                    @Override
                    public void cancel() {
                        stop.set(true);
                    }

                    @Override
                    public boolean isCancelled() {
                        return stop.get();
                    }
                });
                int produced = 0;
                while (produced < count && !stop.get()) {
                    handler.onPartialResponse(new PartialResponse("x"), context);
                    produced++;
                    tokens.incrementAndGet();
                    firstToken.countDown();
                    LockSupport.parkNanos(1_000_000); // the pace of generation, not a synchronization
                }
                if (stop.get()) {
                    cancelled.countDown();
                } else {
                    handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("x".repeat(count)))
                            .build());
                }
            }, "counting-model");
            thread.setDaemon(true);
            thread.start();
        }
    }

    final GenerationQueue queue = new GenerationQueue(20);
    final CountingModel model = new CountingModel();
    final CountDownLatch gone = new CountDownLatch(10);
    Javalin app;

    /** {@code POST /gen} (body: the number of tokens) as the non-streamed routes run it; {@code /old} without probe. */
    void start() {
        app = Javalin.create();
        app.post("/gen", ctx -> generate(ctx, ClientProbe.of(ctx).listener()));
        app.post("/old", ctx -> generate(ctx, new QueuedGeneration.Listener() {
            @Override
            public void queued(int ahead) {
            }

            @Override
            public void token(String text) {
            }

            @Override
            public void heartbeat() {
            }
        }));
        app.start("127.0.0.1", 0);
    }

    private void generate(io.javalin.http.Context ctx, QueuedGeneration.Listener listener) throws Exception {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(ctx.body())).build();
        try {
            ctx.result(QueuedGeneration.run(queue, model, request, listener).aiMessage().text());
        } catch (ClientProbe.ClientGoneException e) {
            gone.countDown();
        }
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    Socket send(String path, int tokens) throws IOException {
        Socket socket = new Socket("127.0.0.1", app.port());
        byte[] body = String.valueOf(tokens).getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    /** Milliseconds a 5-token request takes. */
    long later(String path) {
        long started = System.nanoTime();
        Http.Response response = new Http("http://127.0.0.1:" + app.port()).post(path, "text/plain",
                "5".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, response.status(), response.body());
        assertEquals("xxxxx", response.body());
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void tenAbandonedRequestsGeneratingOrQueuedAreCancelledAndDoNotDelayTheNext() throws Exception {
        start();
        List<Socket> clients = new ArrayList<>();
        clients.add(send("/gen", ENDLESS));
        assertTrue(model.firstToken.await(30, TimeUnit.SECONDS), "the first request generates");
        for (int i = 1; i < 10; i++) {
            clients.add(send("/gen", ENDLESS));
        }
        assertTrue(queue.awaitState((waiting, running) -> waiting == 9 && running, 30_000), "nine wait");
        long closed = System.nanoTime();
        for (Socket client : clients) {
            client.close(); // all ten clients give up
        }
        assertTrue(model.cancelled.await(30, TimeUnit.SECONDS), "the running generation is cancelled");
        assertTrue(queue.awaitState((waiting, running) -> waiting == 0 && !running, 30_000),
                "the queue empties: " + queue.waiting() + " wait, running " + queue.busy());
        long releasedMillis = (System.nanoTime() - closed) / 1_000_000;
        assertEquals(1, model.calls.get(), "the queued requests never reached the model");
        int abandonedTokens = model.tokens.get();
        assertTrue(abandonedTokens < ENDLESS, "generation stopped after " + abandonedTokens + " tokens");
        long laterMillis = later("/gen");
        assertEquals(2, model.calls.get());
        assertTrue(gone.await(30, TimeUnit.SECONDS), "every abandoned request learnt that its client had gone");
        System.out.println("10 abandoned (1 generating, 9 queued): queue empty " + releasedMillis
                + " ms after the clients left; abandoned generation stopped after " + abandonedTokens
                + " tokens; a later 5-token request took " + laterMillis + " ms");
    }

    @Test
    void withoutTheProbeAbandonedRequestsStillRunAndDelayTheNext() throws Exception {
        start();
        int tokens = 200; // each abandoned request would generate this many (0.2 s or more)
        List<Socket> clients = new ArrayList<>();
        clients.add(send("/old", tokens));
        assertTrue(model.firstToken.await(30, TimeUnit.SECONDS));
        for (int i = 1; i < 10; i++) {
            clients.add(send("/old", tokens));
        }
        assertTrue(queue.awaitState((waiting, running) -> waiting == 9 && running, 30_000));
        for (Socket client : clients) {
            client.close();
        }
        long laterMillis = later("/old");
        assertEquals(11, model.calls.get(), "every abandoned request ran");
        assertTrue(model.tokens.get() >= 10 * tokens + 5);
        System.out.println("without the probe, a later 5-token request behind 10 abandoned " + tokens
                + "-token ones took " + laterMillis + " ms");
    }
}
