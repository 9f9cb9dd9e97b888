package io.yinghuo.retrieval.solr.cluster;

import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.ChunkStoreContract;
import io.yinghuo.retrieval.solr.SolrChunkStore;
import io.yinghuo.retrieval.solr.SolrLocation;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The backend contract on SolrCloud: two nodes, two shards, two replicas each, so BM25 figures are computed over
 * shards (ExactStatsCache) and still equal the embedded index's.
 */
class SolrChunkStoreContractTest extends ChunkStoreContract {

    @TempDir
    static Path clusterDir;
    private static SolrTestCluster cluster;
    private static SolrLocation location;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new SolrTestCluster(clusterDir);
        location = cluster.createCollection("contract");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
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
}
