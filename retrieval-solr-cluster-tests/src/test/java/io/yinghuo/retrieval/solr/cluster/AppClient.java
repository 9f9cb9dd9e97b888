package io.yinghuo.retrieval.solr.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The app's REST API as a browser or script uses it, over the JDK's HTTP client (loopback only). */
final class AppClient {

    static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String language;

    AppClient(String base) {
        this(base, "en");
    }

    private AppClient(String base, String language) {
        this.base = base;
        this.language = language;
    }

    /** The same server, asked in another language (its {@code Accept-Language}: "zh-CN", "en"). */
    AppClient withLanguage(String acceptLanguage) {
        return new AppClient(base, acceptLanguage);
    }

    Response get(String path) {
        return send(request(path).GET());
    }

    /** {@code GET /api/search?q=…&k=…}: the hits. */
    JsonNode search(String query, int k) {
        Response r = get("/api/search?k=" + k + "&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        if (r.status() != 200) {
            throw new AssertionError("search " + query + ": " + r.status() + " " + r.body());
        }
        return r.json().get("hits");
    }

    Response delete(String path) {
        return send(request(path).DELETE());
    }

    Response postJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** {@code POST /api/documents}: the files as multipart/form-data "files" parts, in order. */
    Response upload(Map<String, byte[]> files) {
        String boundary = "----yinghuo-e2e-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                    + file.getKey() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file.getValue());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request("/api/documents").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Accept-Language", language);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString(
                    StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Follows {@code GET /api/ingest/events} from now on: open it before uploading, then {@link #awaitFinal} the
     * jobs the upload returned. The server registers the stream before it sends the stream's headers, which this
     * waits for, so no stage change after this returns is missed.
     */
    IngestEvents ingestEvents() {
        try {
            HttpResponse<Stream<String>> r = client.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/ingest/events")).GET().build(), HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                throw new AssertionError("/api/ingest/events: " + r.statusCode());
            }
            return new IngestEvents(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The {@code progress} events of one event stream, read on a thread of their own. */
    static final class IngestEvents implements AutoCloseable {
        private final Stream<String> lines;
        private final Map<Long, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
        private final Thread reader;

        private IngestEvents(Stream<String> lines) {
            this.lines = lines;
            this.reader = new Thread(this::read, "ingest-events");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            String event = "";
            try {
                for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ") && event.equals("progress")) {
                        JsonNode progress = JSON.readTree(line.substring(6));
                        if (progress.get("final").asBoolean()) {
                            long job = progress.get("job_id").asLong();
                            future(job).complete(progress);
                        }
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                waiting.values().forEach(f -> f.completeExceptionally(e));
            }
        }

        private CompletableFuture<JsonNode> future(long job) {
            return waiting.computeIfAbsent(job, j -> new CompletableFuture<>());
        }

        /** The final progress ({@code done} or {@code failed}) of each job, in the given order. */
        Map<Long, JsonNode> awaitFinal(Collection<Long> jobs, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<Long, JsonNode> result = new LinkedHashMap<>();
            for (long job : jobs) {
                result.put(job, future(job).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return result;
        }

        @Override
        public void close() {
            lines.close();
        }
    }
}
