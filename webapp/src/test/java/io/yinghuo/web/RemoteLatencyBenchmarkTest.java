package io.yinghuo.web;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generation latency through remote endpoints on loopback, against the same model in process: time to the first
 * token and to the complete answer, p50 and p95, for 1 and 2 concurrent clients. No timed assertions (the figures
 * depend on the machine); every generation must succeed. Scale with {@code -Dyinghuo.load.scale=N} (default 1).
 */
class RemoteLatencyBenchmarkTest {

    @TempDir
    static Path dir;

    @Test
    void timeToFirstTokenAndTotalThroughOneAndTwoEndpoints() throws Exception {
        int scale = Integer.getInteger("yinghuo.load.scale", 1);
        int requests = 40 * scale;
        try (WebServer a = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("a")),
                TinyModel.load(dir)).start();
             WebServer b = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("b")),
                     TinyModel.load(dir)).start();
             ModelService one = RemoteModelTest.remote(List.of(RemoteModelTest.url(a)), 10);
             ModelService two = RemoteModelTest.remote(List.of(RemoteModelTest.url(a), RemoteModelTest.url(b)), 10)) {
            StreamingChatModel local = a.models().chat();
            run("warm-up", local, 1, 10);
            run("warm-up", two.streamingChat(), 2, 10);
            for (int clients : new int[] {1, 2}) {
                System.out.println(run("in process      ", local, clients, requests));
                System.out.println(run("1 remote        ", one.streamingChat(), clients, requests));
                System.out.println(run("2 remote        ", two.streamingChat(), clients, requests));
            }
        }
    }

    private static String run(String label, StreamingChatModel model, int clients, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<double[]>> timings = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                timings.add(pool.submit(() -> once(model)));
            }
            double[] first = new double[requests];
            double[] total = new double[requests];
            double tokens = 0;
            for (int i = 0; i < requests; i++) {
                double[] t = timings.get(i).get(300, TimeUnit.SECONDS);
                first[i] = t[0];
                total[i] = t[1];
                tokens += t[2];
            }
            return String.format(Locale.ROOT, "%s %d client(s), %d answers of %.0f tokens: first token p50 %.1f ms"
                            + " p95 %.1f ms; total p50 %.1f ms p95 %.1f ms", label, clients, requests,
                    tokens / requests, percentile(first, 50), percentile(first, 95), percentile(total, 50),
                    percentile(total, 95));
        } finally {
            pool.shutdownNow();
        }
    }

    /** {time to first token, total} in milliseconds, and the answer's tokens. */
    private static double[] once(StreamingChatModel model) throws Exception {
        // the same greedy answer every time (at most 32 tokens; random weights may end it sooner)
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("请介绍一下大运河的历史"))
                .parameters(YinghuoChatRequestParameters.builder().temperature(0.0).maxOutputTokens(32).build())
                .build();
        long start = System.nanoTime();
        long[] firstAt = {0};
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                if (firstAt[0] == 0) {
                    firstAt[0] = System.nanoTime();
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                done.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(120, TimeUnit.SECONDS);
        long end = System.nanoTime();
        assertTrue(response.aiMessage().text() != null);
        long first = firstAt[0] == 0 ? end : firstAt[0];
        Integer tokens = response.tokenUsage() == null ? null : response.tokenUsage().outputTokenCount();
        return new double[] {(first - start) / 1e6, (end - start) / 1e6, tokens == null ? 0 : tokens};
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
