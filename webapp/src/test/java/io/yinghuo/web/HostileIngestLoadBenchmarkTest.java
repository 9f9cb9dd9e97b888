package io.yinghuo.web;

import io.yinghuo.ingest.pipeline.DataFolder;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search and chat latency while hostile PDFs are ingested back to back: each upload is a one-page PDF whose page tree
 * declares {@code /Count 2147483647} (PDF 32000-1:2008, 7.7.3.2), the file that once filled the heap and stalled the
 * server for everyone. The same search load runs first on a quiet server, then during that ingest, in one run; the
 * test prints both p50/p99 pairs (BENCHMARKS.md records them) and asserts only what must hold on any machine: every
 * request answered 200, every hostile upload finished with its one page read and the cut reported.
 */
class HostileIngestLoadBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void searchAndChatKeepAnsweringWhileHostilePdfsAreIngested() throws Exception {
        int scale = Integer.getInteger("yinghuo.load.scale", 1);
        try (WebServer server = WebServer.create(ServerOptions.defaults().withPort(0),
                DataFolder.at(dir.resolve("data")), TinyModel.load(dir)).start()) {
            Http http = new Http("http://127.0.0.1:" + server.port());
            Random random = new Random(7);
            for (int d = 0; d < 40; d++) {
                assertEquals(202, http.upload(Map.of("doc" + d + ".txt",
                        LoadBenchmarkTest.text(random, 60).getBytes(StandardCharsets.UTF_8))).status());
            }
            server.pipeline().awaitIdle();
            List<String> queries = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                queries.add(LoadBenchmarkTest.WORDS[random.nextInt(LoadBenchmarkTest.WORDS.length)] + "是什么？");
            }
            LoadBenchmarkTest.Call search = i -> http.get("/api/search?k=5&q="
                    + URLEncoder.encode(queries.get(i % queries.size()), StandardCharsets.UTF_8));
            LoadBenchmarkTest.Call chat = i -> http.postJson("/v1/chat/completions", "{\"model\":\"tiny\","
                    + "\"max_tokens\":4,\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":"
                    + Json.write(queries.get(i % queries.size())) + "}]}");

            LoadBenchmarkTest.run(4, 100, search); // warm-up: JIT and caches, not reported
            LoadBenchmarkTest.run(2, 5, chat);
            assertEquals(202, http.upload(Map.of("count-0.pdf", pdfDeclaringAllPages(0))).status()); // loads PDFBox
            server.pipeline().awaitIdle();
            double[] quietSearch = LoadBenchmarkTest.run(4, 600 * scale, search);
            double[] quietChat = LoadBenchmarkTest.run(2, 20 * scale, chat);

            AtomicBoolean loadRunning = new AtomicBoolean(true);
            AtomicInteger hostileUploads = new AtomicInteger();
            List<String> uploadFailures = new ArrayList<>();
            List<Double> ingestMillis = new ArrayList<>();
            Thread uploader = new Thread(() -> {
                try {
                    while (loadRunning.get()) {
                        int n = hostileUploads.incrementAndGet();
                        long start = System.nanoTime();
                        Http.Response r = http.upload(Map.of("count-" + n + ".pdf", pdfDeclaringAllPages(n)));
                        if (r.status() != 202) {
                            uploadFailures.add(r.status() + " " + r.body());
                            return;
                        }
                        server.pipeline().awaitIdle();
                        synchronized (ingestMillis) {
                            ingestMillis.add((System.nanoTime() - start) / 1e6);
                        }
                    }
                } catch (Exception e) {
                    uploadFailures.add(e.toString());
                }
            }, "hostile-uploader");
            uploader.start();
            double[] hostileSearch;
            double[] hostileChat;
            try {
                hostileSearch = LoadBenchmarkTest.run(4, 600 * scale, search);
                hostileChat = LoadBenchmarkTest.run(2, 20 * scale, chat);
            } finally {
                loadRunning.set(false);
                uploader.join();
            }
            server.pipeline().awaitIdle();

            assertTrue(uploadFailures.isEmpty(), uploadFailures::toString);
            String jobs = http.get("/api/ingest").body();
            int reported = jobs.split("\"pdf_pages_missing\"", -1).length - 1;
            System.out.printf("hostile: %d PDFs declaring 2147483647 pages ingested during the load; cores %d%n",
                    hostileUploads.get(), Runtime.getRuntime().availableProcessors());
            LoadBenchmarkTest.report("hostile PDF, upload to done (one at a time)",
                    ingestMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray());
            LoadBenchmarkTest.report("GET /api/search (k=5, 4 clients), quiet", quietSearch);
            LoadBenchmarkTest.report("GET /api/search (k=5, 4 clients), hostile PDFs ingested", hostileSearch);
            LoadBenchmarkTest.report("POST /v1/chat/completions (4 tokens, 2 clients), quiet", quietChat);
            LoadBenchmarkTest.report("POST /v1/chat/completions (4 tokens, 2 clients), hostile", hostileChat);
            assertEquals(hostileUploads.get() + 1, reported, "every hostile PDF reports its missing pages: " + jobs);
        }
    }

    /** One page of text, a page tree claiming {@code Integer.MAX_VALUE}; {@code n} in the title keeps each file new. */
    static byte[] pdfDeclaringAllPages(int n) throws Exception {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(document, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                text.newLineAtOffset(72, 700);
                text.showText("Page one of a file that claims two billion pages.");
                text.endText();
            }
            document.getDocumentInformation().setTitle("hostile " + n);
            document.getPages().getCOSObject().setInt(COSName.COUNT, Integer.MAX_VALUE);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }
}
