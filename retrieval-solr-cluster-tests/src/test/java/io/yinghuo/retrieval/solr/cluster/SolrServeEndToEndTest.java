package io.yinghuo.retrieval.solr.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.solr.SolrChunkStore;
import io.yinghuo.retrieval.solr.SolrLocation;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application end to end on SolrCloud: {@code yinghuo serve --index solr:…} as a separate process (see
 * {@link ServeProcess}) against the 2-node test cluster (2 shards × 2 replicas), driven through its HTTP API as the
 * browser drives it: uploads of a UTF-8 text, a GBK text and a PDF, their jobs followed on the event stream until
 * done, search and ask across two documents with citations that point at the right document and passage, deletion;
 * two app instances ingesting the same files into one collection at once; and with every Solr node down, an upload
 * refused with the retryable 503 {@code index_unavailable} and nothing acknowledged.
 *
 * <p>Time on the 2-core development machine, load average about 9 (other builds): 70–80 s for the class, of which
 * the two-instance test 17 s (two more {@code serve} starts) and the outage 9 s (both nodes stopped and started
 * again); plus 11–17 s for the cluster's start where this class is the first to ask for it ({@link
 * SharedSolrCluster}). The module's whole suite (contract, fault, these and the browser tests) ran in about
 * 3 minutes.
 */
@ExtendWith(SharedSolrCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrServeEndToEndTest {

    static final String RIVERS = "第一章 长江\n长江是中国最长的河流，全长约六千三百公里，发源于青藏高原的唐古拉山脉。\n\n"
            + "第二章 黄河\n黄河是中国第二长河，被称为中华民族的母亲河，流经九个省区。\n";
    static final String TEA = "茶叶\n\n龙井茶产于杭州西湖一带，是著名的绿茶，以色绿、香郁、味甘、形美著称。\n\n"
            + "普洱茶产于云南，属于后发酵茶，可以长期存放，越陈越香。\n";
    static final String REPORT = "The Pearl River is about 2400 kilometres long and flows into the South China Sea"
            + " near Guangzhou.";
    static final Duration INGEST_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dir;
    static SolrTestCluster cluster;
    static SolrLocation location;
    static ServeProcess app;
    static AppClient http;
    static final Map<String, String> ids = new LinkedHashMap<>(); // file name -> document id

    @BeforeAll
    static void start(SolrTestCluster shared) throws Exception {
        cluster = shared;
        location = cluster.createCollection("e2e");
        app = ServeProcess.start(dir.resolve("app"), "--index", location.display());
        http = app.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    /** A one-page PDF of Latin text (the standard Helvetica font; Chinese PDFs are the ingest module's tests). */
    static byte[] pdf(String text) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 11);
                content.newLineAtOffset(50, 700);
                content.showText(text);
                content.endText();
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** Uploads the files and waits on the event stream until every job is final; returns the final progress. */
    static List<JsonNode> ingest(AppClient client, Map<String, byte[]> files) throws Exception {
        try (AppClient.IngestEvents events = client.ingestEvents()) {
            AppClient.Response r = client.upload(files);
            assertEquals(202, r.status(), r.body());
            List<Long> jobs = new ArrayList<>();
            for (JsonNode file : r.json().get("files")) {
                assertTrue(file.get("accepted").asBoolean(), file.toString());
                jobs.add(file.get("job_id").asLong());
            }
            return new ArrayList<>(events.awaitFinal(jobs, INGEST_TIMEOUT).values());
        }
    }

    @Test
    @Order(1)
    void uploadsOfTextGbkTextAndPdfAreDoneOnlyOnceCommittedToTheCollection() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("rivers.txt", RIVERS.getBytes(StandardCharsets.UTF_8));
        files.put("茶叶.txt", TEA.getBytes(Charset.forName("GBK")));
        files.put("report.pdf", pdf(REPORT));
        List<JsonNode> done = ingest(http, files);
        for (JsonNode job : done) {
            assertEquals("done", job.get("stage").asText(), job.toString());
            assertEquals("added", job.get("outcome").asText(), job.toString());
            ids.put(job.get("file_name").asText(), job.get("document_id").asText());
        }
        assertEquals(List.of("rivers.txt", "茶叶.txt", "report.pdf"), List.copyOf(ids.keySet()));

        // Reported done: in the collection, read here straight from Solr (a new searcher of the test's own client).
        try (SolrChunkStore solr = SolrChunkStore.open(location, true)) {
            Map<String, DocumentRecord> inSolr = new LinkedHashMap<>();
            solr.documents().forEach(d -> inSolr.put(d.fileName(), d));
            assertEquals(Set.of("rivers.txt", "茶叶.txt", "report.pdf"), inSolr.keySet());
            assertEquals("pdf", inSolr.get("report.pdf").format());
            List<ChunkRecord> tea = solr.chunks(ids.get("茶叶.txt"));
            assertTrue(tea.stream().anyMatch(c -> c.text().contains("龙井茶产于杭州西湖")),
                    "the GBK file was decoded: " + tea);
        }
        JsonNode listed = http.get("/api/documents").json();
        assertEquals(3, listed.get("count").asInt(), listed.toString());
    }

    @Test
    @Order(2)
    void searchFindsEachDocumentWithItsPassageAndPage() {
        JsonNode tea = http.search("龙井茶", 3);
        assertEquals(ids.get("茶叶.txt"), tea.get(0).get("document_id").asText(), tea.toString());
        assertTrue(tea.get(0).get("snippet_html").asText().contains("<mark>"), tea.toString());
        JsonNode pearl = http.search("Pearl River", 3);
        assertEquals(ids.get("report.pdf"), pearl.get(0).get("document_id").asText(), pearl.toString());
        assertEquals(1, pearl.get(0).get("page").asInt(), pearl.toString());
        assertTrue(pearl.get(0).get("text").asText().contains("2400 kilometres"), pearl.toString());
    }

    @Test
    @Order(3)
    void askAcrossTwoDocumentsCitesTheRightPassageOfEach() {
        AppClient.Response r = http.postJson("/api/ask", "{\"question\":\"长江有多长？另外，龙井茶产于哪里？\","
                + "\"stream\":false}");
        assertEquals(200, r.status(), r.body());
        JsonNode answer = r.json();
        assertEquals(2, answer.get("parts").size(), answer.toString());
        assertEquals("evidence_only", answer.get("kind").asText(), "no model: the answer quotes its sources");
        Map<String, String> citedTextByDocument = new LinkedHashMap<>();
        for (JsonNode source : answer.get("sources")) {
            if (!source.get("cited").asBoolean()) {
                continue;
            }
            String docId = source.get("document_id").asText();
            // The citation's offsets reproduce its passage in the document's text, as the viewer shows it.
            JsonNode range = http.get("/api/documents/" + docId + "/text?start=" + source.get("start").asInt()
                    + "&end=" + source.get("end").asInt()).json();
            assertEquals(source.get("text").asText(), range.get("text").asText(), source.toString());
            citedTextByDocument.merge(docId, source.get("text").asText(), String::concat);
        }
        assertTrue(citedTextByDocument.getOrDefault(ids.get("rivers.txt"), "").contains("六千三百公里"),
                answer.toString());
        assertTrue(citedTextByDocument.getOrDefault(ids.get("茶叶.txt"), "").contains("杭州西湖"),
                answer.toString());
        assertFalse(citedTextByDocument.containsKey(ids.get("report.pdf")), answer.toString());
        assertTrue(answer.get("answer").asText().contains("六千三百公里"), answer.toString());
    }

    @Test
    @Order(4)
    void aDeletedDocumentIsGoneFromSearchAndFromTheCollection() throws Exception {
        String teaId = ids.get("茶叶.txt");
        assertEquals(204, http.delete("/api/documents/" + teaId).status());
        assertEquals(404, http.get("/api/documents/" + teaId).status());
        for (JsonNode hit : http.search("龙井茶 普洱茶", 10)) {
            assertFalse(hit.get("document_id").asText().equals(teaId), hit.toString());
        }
        assertEquals(ids.get("rivers.txt"), http.search("长江", 3).get(0).get("document_id").asText(),
                "the other documents stay");
        try (SolrChunkStore solr = SolrChunkStore.open(location, true)) {
            assertTrue(solr.document(teaId).isEmpty());
            assertEquals(List.of(), solr.chunks(teaId));
            assertEquals(2, solr.documents().size());
        }
    }

    /** Issue 19, point 1: several app instances can ingest into one collection concurrently without duplicates. */
    @Test
    @Order(5)
    void twoInstancesIngestingTheSameFilesAtOnceEndWithEachChunkOnce() throws Exception {
        SolrLocation shared = cluster.createCollection("e2e-two-apps");
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            StringBuilder text = new StringBuilder("档案" + i + "号\n\n");
            for (int p = 0; p < 3; p++) {
                text.append("第").append(p).append("段：编号").append(i).append("的档案记载了").append(
                        "江南水乡的桥梁、河道与古镇的变迁，".repeat(6)).append("标记词甲").append(i).append("乙").append(p)
                        .append("。\n\n");
            }
            files.put("档案" + i + ".txt", text.toString().getBytes(StandardCharsets.UTF_8));
        }
        try (ServeProcess a = ServeProcess.start(dir.resolve("a"), "--index", shared.display());
             ServeProcess b = ServeProcess.start(dir.resolve("b"), "--index", shared.display())) {
            CompletableFuture<List<JsonNode>> inA = CompletableFuture.supplyAsync(() -> ingestOrFail(a, files));
            CompletableFuture<List<JsonNode>> inB = CompletableFuture.supplyAsync(() -> ingestOrFail(b, files));
            for (JsonNode job : concat(inA.get(), inB.get())) {
                assertEquals("done", job.get("stage").asText(), job.toString()); // added, replaced or unchanged
            }
            try (SolrChunkStore solr = SolrChunkStore.open(shared, true)) {
                List<DocumentRecord> documents = solr.documents();
                assertEquals(8, documents.size(), "one document per file name: " + documents);
                int catalogued = 0;
                for (DocumentRecord d : documents) {
                    List<ChunkRecord> chunks = solr.chunks(d.docId());
                    assertEquals(d.chunkCount(), chunks.size(), d.fileName() + ": " + chunks);
                    Set<Integer> ordinals = new HashSet<>();
                    chunks.forEach(c -> assertTrue(ordinals.add(c.index()), "chunk twice: " + chunks));
                    catalogued += d.chunkCount();
                }
                assertEquals(catalogued, solr.chunkCount(), "no chunk in the collection beyond the catalogue's");
            }
            for (int i = 0; i < 8; i++) {
                String marker = "标记词甲" + i + "乙1";
                JsonNode hits = a.client().search(marker, 10);
                long exact = StreamSupport.stream(hits.spliterator(), false)
                        .filter(h -> h.get("text").asText().contains(marker)).count();
                assertEquals(1, exact, "each passage found once: " + hits);
            }
            assertEquals(8, b.client().get("/api/documents").json().get("count").asInt());
        }
    }

    private static List<JsonNode> ingestOrFail(ServeProcess app, Map<String, byte[]> files) {
        try {
            return ingest(app.client(), files);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The whole cluster down: an upload is refused at once, retryable, in the user's language; nothing is kept. */
    @Test
    @Order(6)
    void withEveryNodeDownAnUploadIsRefusedRetryablyAndNothingIsAcknowledged() throws Exception {
        List<JettySolrRunner> stopped = cluster.stopAllNodes();
        try {
            Map<String, byte[]> files = Map.of("黄河.txt", "黄河是中国第二长河。".getBytes(StandardCharsets.UTF_8));
            AppClient.Response refused = http.upload(files);
            assertEquals(503, refused.status(), refused.body());
            JsonNode error = refused.json().get("error");
            assertEquals("index_unavailable", error.get("code").asText(), refused.body());
            assertTrue(error.get("message").asText().contains("nothing was committed, retry when it is reachable:"
                    + " connection refused"), refused.body());
            assertTrue(error.get("message").asText().contains(location.display()), "names the collection: "
                    + refused.body());
            AppClient.Response zh = http.withLanguage("zh-CN").upload(files);
            assertEquals(503, zh.status(), zh.body());
            assertTrue(zh.json().get("error").get("message").asText().contains("没有写入任何内容，请稍后重试"),
                    zh.body());
            assertEquals(503, http.get("/api/documents").status(), "the catalogue is in Solr too");
        } finally {
            cluster.startNodes(stopped);
        }
        cluster.awaitActive("e2e");
        try (SolrChunkStore solr = SolrChunkStore.open(location, true)) {
            assertTrue(solr.documentByName("", "黄河.txt").isEmpty(), "the refused upload is not in the collection");
            assertEquals(2, solr.documents().size());
        }
        JsonNode jobs = http.get("/api/ingest").json().get("jobs");
        for (JsonNode job : jobs) {
            assertFalse(job.get("file_name").asText().equals("黄河.txt"), "no job was acknowledged: " + jobs);
        }
        assertEquals(2, http.get("/api/documents").json().get("count").asInt(), "the app works again");
    }
}
