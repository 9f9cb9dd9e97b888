package io.yinghuo.retrieval.solr.cluster;

import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchRequest;
import io.yinghuo.retrieval.solr.SolrChunkStore;
import io.yinghuo.retrieval.solr.SolrLocation;
import io.yinghuo.retrieval.solr.SolrUnavailableException;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest promises on SolrCloud when nodes fail: what a commit acknowledged survives a node's loss (two replicas),
 * a cluster that is down makes commits (and uploads through the ingest pipeline) fail with a retryable error and
 * acknowledges nothing, and two app
 * instances writing the same documents into one collection end with each document once.
 */
@ExtendWith(SharedSolrCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrFaultTest {

    @TempDir
    Path pipelineDir;
    private static SolrTestCluster cluster;

    @BeforeAll
    static void useCluster(SolrTestCluster shared) {
        cluster = shared;
    }

    /** A document of three chunks whose text names it, so a search finds exactly it. */
    private static void stage(SolrChunkStore store, String docId, String marker) throws IOException {
        List<ChunkRecord> chunks = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < 3; i++) {
            String text = "文档" + docId + "第" + i + "段，讲" + marker + "。";
            chunks.add(new ChunkRecord(i, at, at + text.length(), text, 1, ""));
            at += text.length();
        }
        store.stageReplace(new DocumentRecord(docId, "", docId + ".txt", docId, "text", "sha-" + docId + marker,
                at, at, 3, 1, "", System.currentTimeMillis()), chunks);
    }

    @Test
    @Order(1)
    void aNodeLostDuringIngestLosesNothingAcknowledged() throws Exception {
        SolrLocation location = cluster.createCollection("node-loss");
        List<String> acknowledged = new ArrayList<>();
        int failed = 0;
        JettySolrRunner stopped = null;
        try (SolrChunkStore store = SolrChunkStore.open(location, false)) {
            try {
                int afterStop = 0;
                for (int i = 0; i < 200 && afterStop < 5; i++) {
                    if (i == 10) {
                        stopped = cluster.cluster.stopJettySolrRunner(1); // node 0 stays: the client talks to it
                        cluster.cluster.waitForJettyToStop(stopped);
                    }
                    String docId = "doc" + i;
                    try {
                        stage(store, docId, "节点");
                        store.commit();
                        acknowledged.add(docId);
                        afterStop += stopped == null ? 0 : 1;
                    } catch (SolrUnavailableException e) {
                        failed++; // not acknowledged: the ingest pipeline reports such a file failed, retryable
                    }
                }
                assertTrue(acknowledged.size() >= 15, "commits went on on the remaining replicas: " + acknowledged
                        + ", " + failed + " failed");
                assertAllThere(store, acknowledged);
            } finally {
                if (stopped != null) {
                    cluster.startNodes(List.of(stopped)); // the cluster is shared with the other classes
                }
            }
        }
        cluster.awaitActive("node-loss");
        try (SolrChunkStore throughNode1 = SolrChunkStore.open(cluster.location(1, "node-loss"), true)) {
            assertAllThere(throughNode1, acknowledged);
        }
    }

    private static void assertAllThere(SolrChunkStore store, List<String> acknowledged) throws IOException {
        ChunkSearcher searcher = new ChunkSearcher(store);
        for (String docId : acknowledged) {
            assertTrue(store.document(docId).isPresent(), docId + " was acknowledged and is gone");
            assertEquals(3, store.chunks(docId).size(), docId);
            assertEquals(List.of(docId), ChunkSearcher.documentIds(searcher.search(
                    SearchRequest.of("文档" + docId, 3).withDocIds(List.of(docId)))), docId);
        }
    }

    @Test
    @Order(2)
    void twoInstancesIngestingTheSameFilesEndWithEachDocumentOnce() throws Exception {
        SolrLocation location = cluster.createCollection("two-apps");
        ExecutorService apps = Executors.newFixedThreadPool(2);
        try (SolrChunkStore a = SolrChunkStore.open(location, false);
             SolrChunkStore b = SolrChunkStore.open(location, false)) {
            List<Future<Void>> runs = new ArrayList<>();
            for (SolrChunkStore app : List.of(a, b)) {
                runs.add(apps.submit((Callable<Void>) () -> {
                    for (int i = 0; i < 20; i++) {
                        stage(app, "shared" + i, app == a ? "甲" : "乙"); // same documents, each app its version
                        if (i % 3 == 2) {
                            app.commit();
                        }
                    }
                    app.commit();
                    return null;
                }));
            }
            for (Future<Void> run : runs) {
                run.get(5, TimeUnit.MINUTES);
            }
            assertEquals(20, a.documents().size());
            assertEquals(60, a.chunkCount(), "three chunks per document, none twice, no version mixed");
            for (int i = 0; i < 20; i++) {
                List<ChunkRecord> chunks = a.chunks("shared" + i);
                String version = chunks.get(0).text().substring(chunks.get(0).text().length() - 2);
                assertTrue(chunks.stream().allMatch(c -> c.text().endsWith(version)), "one version: " + chunks);
            }
        } finally {
            apps.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void aClusterDownFailsCommitsRetryablyAndAcknowledgesNothing() throws Exception {
        SolrLocation location = cluster.createCollection("down");
        try (SolrChunkStore store = SolrChunkStore.open(location, false);
             IngestPipeline pipeline = IngestPipeline.open(DataFolder.at(pipelineDir), store,
                     IngestOptions.defaults())) {
            IngestProgress uploaded = pipeline.submit(IngestSource.of("长江.txt",
                    "长江是中国第一长河，流经上海。".getBytes(StandardCharsets.UTF_8))).completion().get(2, TimeUnit.MINUTES);
            assertTrue(uploaded.succeeded(), uploaded.message());
            assertEquals(List.of("长江.txt"), store.documents().stream().map(DocumentRecord::fileName).toList(),
                    "reported done: committed");
            stage(store, "before", "之前");
            store.commit();
            stage(store, "during", "之间");
            List<JettySolrRunner> nodes = cluster.stopAllNodes();
            try {
                SolrUnavailableException down = assertThrows(SolrUnavailableException.class, store::commit);
                assertTrue(down.getMessage().contains("nothing was committed, retry when it is reachable"),
                        down.getMessage());
                assertTrue(down.getMessage().contains(location.display()), down.getMessage());
                assertThrows(UncheckedIOException.class, () -> store.document("before"));
                // An upload is refused at once: its id is resolved against the catalogue, which Solr holds (the
                // web app answers 503 index_unavailable, retryable).
                UncheckedIOException refused = assertThrows(UncheckedIOException.class, () -> pipeline.submit(
                        IngestSource.of("黄河.txt", "黄河是中国第二长河。".getBytes(StandardCharsets.UTF_8))));
                assertTrue(refused.getMessage().contains("retry when it is reachable"), refused.getMessage());
            } finally {
                cluster.startNodes(nodes); // the cluster is shared with the other classes
            }
            cluster.awaitActive("down");
            assertTrue(store.document("before").isPresent(), "committed before the outage");
            assertTrue(store.document("during").isEmpty(), "its commit failed: not there, not acknowledged");
            assertTrue(store.documentByName("", "黄河.txt").isEmpty(), "the refused upload is not there");
            stage(store, "during", "之间"); // the retry the error asks for
            store.commit();
            assertEquals(3, store.chunks("during").size());
        }
    }
}
