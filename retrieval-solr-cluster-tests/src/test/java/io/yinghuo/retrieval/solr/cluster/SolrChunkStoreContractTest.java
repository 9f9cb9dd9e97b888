package io.yinghuo.retrieval.solr.cluster;

import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.ChunkStoreContract;
import io.yinghuo.retrieval.solr.SolrChunkStore;
import io.yinghuo.retrieval.solr.SolrLocation;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The backend contract on SolrCloud: two nodes, two shards, two replicas each, so BM25 figures are computed over
 * shards (ExactStatsCache) and still equal the embedded index's.
 */
@ExtendWith(SharedSolrCluster.class)
class SolrChunkStoreContractTest extends ChunkStoreContract {

    private static SolrTestCluster cluster;
    private static SolrLocation location;

    @BeforeAll
    static void createCollection(SolrTestCluster shared) throws Exception {
        cluster = shared;
        location = cluster.createCollection("contract");
    }

    @Override
    protected ChunkStore newEmptyStore() throws IOException {
        try {
            new UpdateRequest().deleteByQuery("*:*").commit(cluster.cluster.getSolrClient(), "contract");
        } catch (Exception e) {
            throw new IOException(e);
        }
        return SolrChunkStore.open(location, false);
    }

    @Override
    protected ChunkStore openReadOnly() throws IOException {
        return SolrChunkStore.open(location, true);
    }

    /**
     * Two app instances on one collection: whichever commits a document last is what searches find, however many
     * commits the other made before (each instance's versions count on from the clock, not from its own commits).
     */
    @Test
    void theLaterOfTwoInstancesReplacingADocumentWins() throws IOException {
        try (ChunkStore other = SolrChunkStore.open(location, false)) {
            for (String text : List.of("第一版。", "第二版。", "第三版。")) {
                TestIndexes.put(store, "x", "", "版本", text);
            }
            TestIndexes.put(other, "x", "", "版本", "另一个实例的版本。");
            assertEquals(List.of("另一个实例的版本。"), texts(store, "x"), "the other instance committed last");
            TestIndexes.put(store, "x", "", "版本", "最后一版。");
            assertEquals(List.of("最后一版。"), texts(other, "x"));
        }
    }

    private static List<String> texts(ChunkStore target, String docId) throws IOException {
        return target.chunks(docId).stream().map(ChunkRecord::text).toList();
    }
}
