package io.yinghuo.retrieval.solr.cluster;

import io.yinghuo.retrieval.solr.SolrChunkStore;
import io.yinghuo.retrieval.solr.SolrCollectionSetup;
import io.yinghuo.retrieval.solr.SolrLocation;
import org.apache.solr.common.cloud.DocCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code yinghuo solr-init} and the first open of a missing collection do to a SolrCloud cluster. */
@ExtendWith(SharedSolrCluster.class)
class SolrCollectionSetupTest {

    @Test
    void solrInitCreatesEachCollectionOnceWithTheShippedConfigset(SolrTestCluster cluster) throws Exception {
        for (String name : new String[]{"setup-a", "setup-b"}) { // the second finds the configset uploaded
            SolrLocation location = cluster.location(0, name);
            assertTrue(SolrCollectionSetup.ensure(location, 2, 1), name + " created");
            cluster.cluster.waitForActiveCollection(name, 60, TimeUnit.SECONDS, 2, 2);
            assertFalse(SolrCollectionSetup.ensure(location, 2, 1), name + " exists: left as it is");
            DocCollection state = cluster.cluster.getSolrClient().getClusterState().getCollection(name);
            assertEquals(2, state.getSlices().size(), "the shards asked for");
            assertEquals(SolrCollectionSetup.CONFIGSET, state.getConfigName());
        }
    }

    @Test
    void openingAMissingCollectionCreatesItUnlessReadOnly(SolrTestCluster cluster) throws Exception {
        SolrLocation missing = cluster.location(1, "setup-on-open");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SolrChunkStore.open(missing, true));
        assertEquals("there is no collection " + missing.display() + " (create it with yinghuo solr-init)",
                refused.getMessage());
        try (SolrChunkStore store = SolrChunkStore.open(missing, false)) {
            cluster.cluster.waitForActiveCollection("setup-on-open", 60, TimeUnit.SECONDS, 1, 1);
            assertEquals(0, store.chunkCount());
        }
        try (SolrChunkStore reader = SolrChunkStore.open(missing, true)) {
            assertTrue(reader.readOnly());
        }
    }
}
