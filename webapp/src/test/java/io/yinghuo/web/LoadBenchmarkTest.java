package io.yinghuo.web;

import io.yinghuo.ingest.pipeline.DataFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A bounded load test on loopback: concurrent clients search and ask, and the test prints p50/p99 latencies (no
 * timed assertions: the figures depend on the machine; BENCHMARKS.md records them). Every request must succeed.
 * Scale the request counts with {@code -Dyinghuo.load.scale=N} (default 1).
 */
class LoadBenchmarkTest {

    static final String[] WORDS = {"长江", "黄河", "茶叶", "龙井", "西湖", "杭州", "铁路", "高铁", "桥梁", "工程",
        "历史", "文化", "诗词", "李白", "杜甫", "宋代", "唐朝", "科技", "计算机", "模型", "检索", "索引", "数据",
        "城市", "农业", "水稻", "小麦", "气候", "季风", "山脉", "高原", "沙漠", "海洋", "港口", "贸易", "丝绸"};

    @TempDir
    Path dir;

    @Test
    void searchAndAskLatenciesUnderConcurrentLoad() throws Exception {
        int scale = Integer.getInteger("yinghuo.load.scale", 1);
        try (WebServer server = WebServer.create(ServerOptions.defaults().withPort(0),
                DataFolder.at(dir.resolve("data")), TinyModel.load(dir)).start()) {
            Http http = new Http("http://127.0.0.1:" + server.port());
            Random random = new Random(42);
            int documents = 40;
            for (int d = 0; d < documents; d++) {
                Map<String, byte[]> files = new LinkedHashMap<>();
                files.put("doc" + d + ".txt", text(random, 60).getBytes(StandardCharsets.UTF_8));
                assertEquals(202, http.upload(files).status());
            }
            server.pipeline().awaitIdle();

            List<String> queries = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                queries.add(WORDS[random.nextInt(WORDS.length)] + WORDS[random.nextInt(WORDS.length)] + "是什么？");
            }
            double[] search = run(8, 400 * scale, i -> http.get("/api/search?k=5&q="
                    + URLEncoder.encode(queries.get(i % queries.size()), StandardCharsets.UTF_8)));
            double[] askJson = run(8, 100 * scale, i -> http.postJson("/api/ask",
                    "{\"mode\":\"search\",\"stream\":false,\"question\":" + Json.write(queries.get(i % queries.size()))
                            + "}"));
            double[] askModel = run(4, 24 * scale, i -> http.postJson("/api/ask",
                    "{\"max_tokens\":8,\"temperature\":0,\"question\":" + Json.write(queries.get(i % queries.size()))
                            + "}"));
            System.out.printf("load: %d documents, %d chunks; cores %d%n", documents,
                    server.index().chunkCount(), Runtime.getRuntime().availableProcessors());
            report("GET /api/search (k=5, 8 clients)", search);
            report("POST /api/ask search mode, JSON (8 clients)", askJson);
            report("POST /api/ask with tiny model, SSE, 8 tokens (4 clients)", askModel);
        }
    }

    interface Call {
        Http.Response call(int i) throws Exception;
    }

    /** Runs {@code count} requests from {@code clients} threads; returns sorted latencies in ms. */
    static double[] run(int clients, int count, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Double>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit((Callable<Double>) () -> {
                    long start = System.nanoTime();
                    Http.Response r = call.call(n);
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (r.status() != 200) {
                        throw new AssertionError("status " + r.status() + ": " + r.body());
                    }
                    return ms;
                }));
            }
            double[] latencies = new double[count];
            for (int i = 0; i < count; i++) {
                latencies[i] = futures.get(i).get(300, TimeUnit.SECONDS);
            }
            Arrays.sort(latencies);
            return latencies;
        } finally {
            pool.shutdownNow();
        }
    }

    static void report(String what, double[] sorted) {
        System.out.printf("load: %-58s n=%4d  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n", what, sorted.length,
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1]);
    }

    static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String text(Random random, int sentences) {
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            int words = 4 + random.nextInt(8);
            for (int w = 0; w < words; w++) {
                text.append(WORDS[random.nextInt(WORDS.length)]);
                text.append(random.nextInt(4) == 0 ? "，" : "的");
            }
            text.append("。");
            if (s % 8 == 7) {
                text.append("\n\n");
            }
        }
        return text.toString();
    }
}
