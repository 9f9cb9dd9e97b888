package io.yinghuo.retrieval.solr.cluster;

import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.ChunkStoreContract;
import io.yinghuo.retrieval.solr.SolrChunkStore;
import io.yinghuo.retrieval.solr.SolrLocation;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;

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
}
